#!/usr/bin/env python3
"""The guide's file-processing pattern: reads the whole file (advice only)."""
import sys
import json
import os


def process_file(inputs):
    input_file = inputs['input_file']
    output_file = inputs['output_file']

    with open(input_file, 'r') as f:
        data = f.read()  # expect: SCR405

    processed = data.upper()

    with open(output_file, 'w') as f:
        f.write(processed)

    return {
        'success': True,
        'input_size': len(data),
        'output_file': output_file
    }


if __name__ == '__main__':
    input_data = sys.stdin.read()
    inputs = json.loads(input_data) if input_data else {}

    try:
        output = process_file(inputs)
        print(json.dumps(output))
        sys.exit(0)
    except Exception as e:
        print(json.dumps({'success': False, 'error': str(e)}))
        sys.exit(1)
