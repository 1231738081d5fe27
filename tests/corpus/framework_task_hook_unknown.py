"""The control: a class of the same plain name used as a utility, not as the base of a task.
Nothing here hands the run to the helper library, so the script reads no inputs and writes
no result, as far as anyone reading it can tell."""
from task_helper import TaskHelper


def main() -> None:
    helper = TaskHelper()
    helper.start_task("sync", minutes=5)


class Reminder(TaskHelper):
    def remind(self) -> None:
        self.start_task("remind", minutes=1)


if __name__ == "__main__":  # expect: SCR101, SCR104
    main()
    Reminder().remind()
