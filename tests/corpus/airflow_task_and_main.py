# The control: a task module that also works when run.  # expect: SCR101
# Its `@task` call declares, but `main()` at module level does the work, so the file is a
# script and the rules about its run speak (it never reads its inputs).
from airflow.decorators import task


@task
def double(value: int) -> int:
    return value * 2


def main() -> None:
    print("doubling")  # expect: SCR105


double(3)
main()
