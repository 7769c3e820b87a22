"""Storage layer: SQLAlchemy only. Engine and pragmas, ORM tables, queries, unit_of_work, migrations, backup."""
