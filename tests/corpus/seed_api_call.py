#!/usr/bin/env python3
"""The guide's API pattern: urlopen without a timeout."""
import sys
import json
import urllib.request


def call_api(inputs):
    url = inputs['api_url']

    with urllib.request.urlopen(url) as response:  # expect: SCR403
        data = json.loads(response.read())

    return {'success': True, 'data': data, 'status': 'completed'}


if __name__ == '__main__':
    input_data = sys.stdin.read()
    inputs = json.loads(input_data) if input_data else {}

    try:
        output = call_api(inputs)
        print(json.dumps(output))
        sys.exit(0)
    except Exception as e:
        print(json.dumps({'success': False, 'error': str(e)}))
        sys.exit(1)
