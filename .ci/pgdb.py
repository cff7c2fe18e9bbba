"""Create or drop a PostgreSQL database for one CI run: `pgdb.py create|drop BASE_URL NAME`.

Dropping NAME also drops the databases the test workers made beside it (NAME_gw0, NAME_gw1…).
"""

import re
import sys

import psycopg
from psycopg import sql


def main() -> int:
    action, base, name = sys.argv[1:4]
    if not re.fullmatch(r"[a-z0-9_]+", name):
        print(f"refusing database name {name!r}")
        return 2
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if action == "create":
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        elif action == "drop":
            workers = conn.execute(
                "SELECT datname FROM pg_database WHERE datname ~ %s", (f"^{name}_gw[0-9]+$",)
            ).fetchall()
            for db in [name, *(row[0] for row in workers)]:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db))
                )
        else:
            print(f"unknown action {action!r}")
            return 2
    print(f"{action}: database {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
