"""The control: the same shape on a library the table does not know. A call outside the
project proves nothing about the script's I/O, so it never reads its inputs nor writes a
result, as far as anyone reading it can tell."""
from hostkit.module import HostModule


def main() -> None:
    module = HostModule(spec={"name": {"type": "str"}})
    module.finish(changed=False, greeting=f"hello {module.params['name']}")


if __name__ == "__main__":  # expect: SCR101, SCR104
    main()
