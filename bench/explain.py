"""EXPLAIN ANALYZE of every SQL query the benchmark's pages run (PostgreSQL).

``python -m bench.explain`` with the benchmark's environment (bench/run.py
calls it after the load) writes the plans of the queries slower than
``--min-ms`` as Markdown, page by page, so that a slow page shows at once
whether it lacks an index or reads too much.
"""

import argparse
import os
import sys
import time


def explain_pages(min_ms=2.0):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import pick_pages

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    out = []
    for name, url in pick_pages():
        client.get(url)  # fill caches: explain what every later visitor costs
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response)
            total = (time.perf_counter() - started) * 1000
        sql_ms = sum(float(q["time"]) * 1000 for q in queries.captured_queries)
        out.append(
            f"## {name}: `{url}`\n\n{len(queries.captured_queries)} queries, "
            f"{sql_ms:.0f} ms in SQL of {total:.0f} ms in all (in-process, warm).\n"
        )
        for query in queries.captured_queries:
            took = float(query["time"]) * 1000
            statement = query["sql"].lstrip(" (").upper()
            if took < min_ms or not statement.startswith(("SELECT", "WITH")):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            sql = query["sql"] if len(query["sql"]) < 1500 else query["sql"][:1500] + " …"
            out.append(f"### {took:.0f} ms\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```\n")
    return "\n".join(out)


def main():
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--min-ms", type=float, default=2.0)
    parser.add_argument("--output", default="-")
    args = parser.parse_args()
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange.settings")
    django.setup()
    text = "# Query plans of the benchmark pages\n\n" + explain_pages(args.min_ms)
    if args.output == "-":
        print(text)
    else:
        with open(args.output, "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
