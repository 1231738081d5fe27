"""A configuration-management module: the framework object reads the arguments (JSON on
stdin) and prints the result; `exit_json`/`fail_json` end the run. No stdin or stdout here."""
from ansible.module_utils.basic import AnsibleModule


def main() -> None:
    module = AnsibleModule(argument_spec={"name": {"type": "str", "required": True}})
    name = module.params["name"]
    if not name.isidentifier():
        module.fail_json(msg=f"not an identifier: {name}")
    module.exit_json(changed=False, greeting=f"hello {name}")


if __name__ == "__main__":
    main()
