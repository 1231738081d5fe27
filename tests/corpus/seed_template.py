#!/usr/bin/env python3
"""The guide's own template: the contract kept."""
import sys
import json


def main(inputs):
    name = inputs.get('name', 'World')

    return {
        'success': True,
        'message': f'Hello, {name}!'
    }


if __name__ == '__main__':
    input_data = sys.stdin.read()
    inputs = json.loads(input_data) if input_data else {}

    try:
        output = main(inputs)
        print(json.dumps(output))
        sys.exit(0)
    except Exception as e:
        print(json.dumps({'success': False, 'error': str(e)}))
        sys.exit(1)
