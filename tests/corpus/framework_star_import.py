"""An old-style configuration-management module: the framework is brought in with a star
import, as its early documentation showed, and does the module's I/O."""
from ansible.module_utils.basic import *  # noqa: F403


def main() -> None:
    module = AnsibleModule(argument_spec={"path": {"type": "str", "required": True}})  # noqa: F405
    path = module.params["path"]
    module.exit_json(changed=False, exists=bool(path))


main()
