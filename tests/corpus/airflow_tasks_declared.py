"""An Airflow DAG file: the scheduler imports it to read the graph and runs each task later,
in a worker, with its own context. Calling a `@task` function inside `with DAG(...)`, or a
`@dag` function at module level, adds to the graph and runs nothing, so the file is no
script: no SCR101 or SCR104 for a run that never happens."""
from datetime import datetime

from airflow import DAG
from airflow.decorators import dag, task
from airflow.models.baseoperator import chain
from airflow.operators.empty import EmptyOperator

with DAG(dag_id="nightly_report", start_date=datetime(2026, 1, 1), schedule="@daily"):

    @task(task_id="count_rows")
    def count_rows() -> int:
        return 42

    @task.python
    def announce(rows: int) -> None:
        print(f"{rows} rows counted")

    start = EmptyOperator(task_id="start")
    done = EmptyOperator(task_id="done")
    chain(start, announce(count_rows()), done)


@dag(schedule=None, start_date=datetime(2026, 1, 1), catchup=False)
def cleanup():
    @task
    def purge(days: int) -> list[str]:
        return [f"day-{n}" for n in range(days)]

    purge(7)


cleanup()
