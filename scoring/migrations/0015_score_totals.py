# Maintained totals (issue 18): the ScoreTotal table, the database triggers that keep it exact
# in the same transaction as every write of scores or criteria, and its backfill from the
# scores already stored. See scoring/models/totals.py for what a row holds.
#
# PostgreSQL: statement-level AFTER triggers with transition tables. One trigger per event
# (PostgreSQL refuses transition tables on a trigger with several events, and on an UPDATE OF
# column list), all calling one function that reads TG_OP. A statement's changed scores are
# turned into signed deltas, grouped by (compact, unit, top-level group, section) and upserted
# in key order (INSERT … ON CONFLICT DO UPDATE; the order keeps concurrent saves from
# deadlocking on the totals' rows). A score's group is found by walking its criterion's
# parents (a recursive query over the few criteria the statement touched; each step looks a
# parent up by its key in a subquery, since a join let the planner hash every criterion of
# every year at each level: 1.5 s for a 1,200-cell save on the 5 M set). The functions run
# with JIT off: the planner's estimates for transition tables are blind, and compiling the
# statement took 1.3 s of a save whose work takes 60 ms. Deleted scores
# only subtract from rows that exist: when a compact or criterion is deleted, Django may
# delete the totals rows first, and nothing must be inserted after them. Moving a criterion
# (parent, section) or deleting criteria rebuilds the compacts concerned: rare, and a rebuild
# is one aggregate over a compact's scores. TRUNCATE of the scores empties the totals.
#
# SQLite (development and tests): row-level triggers do the same one row at a time. SQLite
# allows no WITH clause inside a trigger, so a criterion's top-level group is found by joins
# up to 16 levels (MAX_DEPTH is 8); a deeper scheme aborts the statement rather than count
# wrongly. SQLite sums decimals as floats: readers round the sums to the scheme's cents.
#
# A pg_dump backup holds the rows; pg_restore loads the data before it creates the triggers,
# so a restore does not count the scores twice (scripts/check-backup-restore checks it).

import django.db.models.deletion
from django.db import migrations, models

SECTION = (
    "CASE {kind} WHEN 'bonus' THEN 'bonus' WHEN 'deduction' THEN 'deduction' "
    "ELSE 'content' END"
)
COLUMNS = (
    "compact_id, unit_id, group_id, section,"
    " self_points, self_scored, verified_points, verified_scored"
)
ADD_EXCLUDED = """
    self_points = {t}self_points + excluded.self_points,
    self_scored = {t}self_scored + excluded.self_scored,
    verified_points = {t}verified_points + excluded.verified_points,
    verified_scored = {t}verified_scored + excluded.verified_scored"""

# --- PostgreSQL ------------------------------------------------------------------------------

# The signed changes of one statement, by event: (compact_id, unit_id, criterion_id,
# self_points, verified_points, sign). An UPDATE counts only the rows whose points or keys
# changed (a note or a version alone changes no total).
PG_CHANGES = {
    "INSERT": "SELECT compact_id, unit_id, criterion_id, self_points, verified_points, 1"
    " FROM new_scores",
    "DELETE": "SELECT compact_id, unit_id, criterion_id, self_points, verified_points, -1"
    " FROM old_scores",
    "UPDATE": """SELECT v.* FROM old_scores o JOIN new_scores n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES
            (o.compact_id, o.unit_id, o.criterion_id, o.self_points, o.verified_points, -1),
            (n.compact_id, n.unit_id, n.criterion_id, n.self_points, n.verified_points, 1)
        ) AS v
        WHERE (o.compact_id, o.unit_id, o.criterion_id, o.self_points, o.verified_points)
            IS DISTINCT FROM
            (n.compact_id, n.unit_id, n.criterion_id, n.self_points, n.verified_points)""",
}

PG_APPLY_CHANGES = """
    WITH RECURSIVE changed (compact_id, unit_id, criterion_id, self_points, verified_points,
            sign) AS ({changes}),
    chain (leaf, compact_id, kind, node, parent, depth) AS (
        SELECT c.id, c.compact_id, c.kind, c.id, c.parent_id, 1 FROM scoring_criterion c
        WHERE c.id IN (SELECT criterion_id FROM changed)
        UNION ALL
        SELECT chain.leaf, chain.compact_id, chain.kind, chain.parent,
            (SELECT p.parent_id FROM scoring_criterion p WHERE p.id = chain.parent),
            chain.depth + 1
        FROM chain
        WHERE chain.parent IS NOT NULL AND chain.depth < 64
    ),
    delta AS (
        SELECT ch.compact_id, ch.unit_id, chain.node AS group_id,
            {section} AS section,
            SUM(ch.sign * COALESCE(ch.self_points, 0)) AS self_points,
            SUM(CASE WHEN ch.self_points IS NULL THEN 0 ELSE ch.sign END) AS self_scored,
            SUM(ch.sign * COALESCE(ch.verified_points, 0)) AS verified_points,
            SUM(CASE WHEN ch.verified_points IS NULL THEN 0 ELSE ch.sign END) AS verified_scored
        FROM changed ch
        JOIN chain ON chain.leaf = ch.criterion_id AND chain.compact_id = ch.compact_id
            AND chain.parent IS NULL
        GROUP BY 1, 2, 3, 4
    )
    INSERT INTO scoring_scoretotal AS t ({columns})
    SELECT * FROM delta d
    WHERE (d.self_scored <> 0 OR d.verified_scored <> 0 OR d.self_points <> 0
        OR d.verified_points <> 0){only_existing}
    ORDER BY d.compact_id, d.unit_id, d.group_id, d.section
    ON CONFLICT (compact_id, unit_id, group_id, section) DO UPDATE SET {add};"""

PG_ONLY_EXISTING = """
        AND EXISTS (SELECT 1 FROM scoring_scoretotal e WHERE e.compact_id = d.compact_id
            AND e.unit_id = d.unit_id AND e.group_id = d.group_id AND e.section = d.section)"""


def pg_apply(event):
    return PG_APPLY_CHANGES.format(
        changes=PG_CHANGES[event],
        section=SECTION.format(kind="chain.kind"),
        columns=COLUMNS,
        only_existing=PG_ONLY_EXISTING if event == "DELETE" else "",
        add=ADD_EXCLUDED.format(t="t."),
    )


PG_REBUILD_STATEMENT = """
        WITH RECURSIVE tree (id, root) AS (
            SELECT id, id FROM scoring_criterion WHERE parent_id IS NULL{criteria}
            UNION ALL
            SELECT c.id, tree.root FROM scoring_criterion c JOIN tree ON c.parent_id = tree.id
            {children}
        )
        INSERT INTO scoring_scoretotal ({columns})
        SELECT s.compact_id, s.unit_id, tree.root, {section},
            SUM(COALESCE(s.self_points, 0)), COUNT(s.self_points),
            SUM(COALESCE(s.verified_points, 0)), COUNT(s.verified_points)
        FROM scoring_score s
        JOIN tree ON tree.id = s.criterion_id
        JOIN scoring_criterion c ON c.id = s.criterion_id AND c.compact_id = s.compact_id
        WHERE (s.self_points IS NOT NULL OR s.verified_points IS NOT NULL){scores}
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4;"""


def pg_rebuild_statement(*, every):
    """The INSERT … SELECT of the totals of every compact, or of those in `compacts`."""
    return PG_REBUILD_STATEMENT.format(
        columns=COLUMNS,
        section=SECTION.format(kind="c.kind"),
        criteria="" if every else " AND compact_id = ANY (compacts)",
        children="" if every else "WHERE c.compact_id = ANY (compacts)",
        scores="" if every else " AND s.compact_id = ANY (compacts)",
    )


# Two statements rather than one with "compacts IS NULL OR …": a compact's rebuild must use
# the compact indexes, not scan every score.
PG_REBUILD = f"""
CREATE FUNCTION scoring_rebuild_score_totals(compacts bigint[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF compacts IS NULL THEN
        DELETE FROM scoring_scoretotal;{pg_rebuild_statement(every=True)}
    ELSE
        DELETE FROM scoring_scoretotal WHERE compact_id = ANY (compacts);{pg_rebuild_statement(every=False)}
    END IF;
END;
$$;
"""

PG_SCORE_FUNCTION = f"""
CREATE FUNCTION scoring_score_totals_apply() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM scoring_scoretotal;
    ELSIF TG_OP = 'INSERT' THEN {pg_apply("INSERT")}
    ELSIF TG_OP = 'UPDATE' THEN {pg_apply("UPDATE")}
    ELSE {pg_apply("DELETE")}
    END IF;
    RETURN NULL;
END;
$$;
"""

PG_CRITERION_FUNCTION = """
CREATE FUNCTION scoring_criterion_totals_apply() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    compacts bigint[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(DISTINCT x) INTO compacts
        FROM old_criteria o JOIN new_criteria n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.compact_id), (n.compact_id)) AS v (x)
        WHERE o.parent_id IS DISTINCT FROM n.parent_id OR o.compact_id <> n.compact_id
            OR {old_section} <> {new_section};
    ELSE
        SELECT array_agg(DISTINCT compact_id) INTO compacts FROM old_criteria;
    END IF;
    IF compacts IS NOT NULL THEN
        PERFORM scoring_rebuild_score_totals(compacts);
    END IF;
    RETURN NULL;
END;
$$;
""".format(
    old_section=SECTION.format(kind="o.kind"), new_section=SECTION.format(kind="n.kind")
)

PG_TRIGGERS = """
CREATE TRIGGER scoring_score_totals_insert AFTER INSERT ON scoring_score
    REFERENCING NEW TABLE AS new_scores
    FOR EACH STATEMENT EXECUTE FUNCTION scoring_score_totals_apply();
CREATE TRIGGER scoring_score_totals_update AFTER UPDATE ON scoring_score
    REFERENCING OLD TABLE AS old_scores NEW TABLE AS new_scores
    FOR EACH STATEMENT EXECUTE FUNCTION scoring_score_totals_apply();
CREATE TRIGGER scoring_score_totals_delete AFTER DELETE ON scoring_score
    REFERENCING OLD TABLE AS old_scores
    FOR EACH STATEMENT EXECUTE FUNCTION scoring_score_totals_apply();
CREATE TRIGGER scoring_score_totals_truncate AFTER TRUNCATE ON scoring_score
    FOR EACH STATEMENT EXECUTE FUNCTION scoring_score_totals_apply();
CREATE TRIGGER scoring_criterion_totals_update AFTER UPDATE ON scoring_criterion
    REFERENCING OLD TABLE AS old_criteria NEW TABLE AS new_criteria
    FOR EACH STATEMENT EXECUTE FUNCTION scoring_criterion_totals_apply();
CREATE TRIGGER scoring_criterion_totals_delete AFTER DELETE ON scoring_criterion
    REFERENCING OLD TABLE AS old_criteria
    FOR EACH STATEMENT EXECUTE FUNCTION scoring_criterion_totals_apply();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS scoring_score_totals_insert ON scoring_score;
DROP TRIGGER IF EXISTS scoring_score_totals_update ON scoring_score;
DROP TRIGGER IF EXISTS scoring_score_totals_delete ON scoring_score;
DROP TRIGGER IF EXISTS scoring_score_totals_truncate ON scoring_score;
DROP TRIGGER IF EXISTS scoring_criterion_totals_update ON scoring_criterion;
DROP TRIGGER IF EXISTS scoring_criterion_totals_delete ON scoring_criterion;
DROP FUNCTION IF EXISTS scoring_score_totals_apply();
DROP FUNCTION IF EXISTS scoring_criterion_totals_apply();
DROP FUNCTION IF EXISTS scoring_rebuild_score_totals(bigint[]);
"""

# --- SQLite ----------------------------------------------------------------------------------

LEVELS = 16


def sqlite_tree(where):
    """(leaf, compact_id, section, root) of the criteria matching `where` (on c1): the root is
    the first ancestor without a parent, NULL when the chain is broken."""
    joins = "".join(
        f" LEFT JOIN scoring_criterion c{i} ON c{i}.id = c{i - 1}.parent_id"
        for i in range(2, LEVELS + 1)
    )
    roots = ", ".join(
        f"CASE WHEN c{i}.parent_id IS NULL THEN c{i}.id END" for i in range(1, LEVELS + 1)
    )
    return (
        f"SELECT c1.id AS leaf, c1.compact_id AS compact_id,"
        f" {SECTION.format(kind='c1.kind')} AS section, COALESCE({roots}) AS root,"
        f" c{LEVELS}.parent_id AS deeper"
        f" FROM scoring_criterion c1{joins} WHERE {where}"
    )


def sqlite_too_deep(where):
    return (
        f"SELECT RAISE(ABORT, 'criteria nested deeper than {LEVELS} levels')"
        f" FROM ({sqlite_tree(where)}) WHERE deeper IS NOT NULL;"
    )


def sqlite_add(row):
    """Adds the score `row` (NEW) to its group's totals."""
    return f"""
    {sqlite_too_deep(f"c1.id = {row}.criterion_id")}
    INSERT INTO scoring_scoretotal ({COLUMNS})
    SELECT {row}.compact_id, {row}.unit_id, r.root, r.section,
        COALESCE({row}.self_points, 0), {row}.self_points IS NOT NULL,
        COALESCE({row}.verified_points, 0), {row}.verified_points IS NOT NULL
    FROM ({sqlite_tree(f"c1.id = {row}.criterion_id")}) r
    WHERE r.root IS NOT NULL AND r.compact_id = {row}.compact_id
        AND ({row}.self_points IS NOT NULL OR {row}.verified_points IS NOT NULL)
    ON CONFLICT (compact_id, unit_id, group_id, section) DO UPDATE SET
        {ADD_EXCLUDED.format(t="")};"""


def sqlite_subtract(row):
    """Takes the score `row` (OLD) from its group's totals, where they exist."""
    return f"""
    UPDATE scoring_scoretotal SET
        self_points = self_points - COALESCE({row}.self_points, 0),
        self_scored = self_scored - ({row}.self_points IS NOT NULL),
        verified_points = verified_points - COALESCE({row}.verified_points, 0),
        verified_scored = verified_scored - ({row}.verified_points IS NOT NULL)
    WHERE compact_id = {row}.compact_id AND unit_id = {row}.unit_id
        AND (group_id, section) = (
            SELECT r.root, r.section FROM ({sqlite_tree(f"c1.id = {row}.criterion_id")}) r
            WHERE r.compact_id = {row}.compact_id);"""


def sqlite_rebuild(compact):
    """Rebuilds the totals of one compact from its scores."""
    return f"""
    DELETE FROM scoring_scoretotal WHERE compact_id = {compact};
    {sqlite_too_deep(f"c1.compact_id = {compact}")}
    INSERT INTO scoring_scoretotal ({COLUMNS})
    SELECT s.compact_id, s.unit_id, r.root, r.section,
        SUM(COALESCE(s.self_points, 0)), COUNT(s.self_points),
        SUM(COALESCE(s.verified_points, 0)), COUNT(s.verified_points)
    FROM scoring_score s
    JOIN ({sqlite_tree(f"c1.compact_id = {compact}")}) r
        ON r.leaf = s.criterion_id AND r.compact_id = s.compact_id
    WHERE s.compact_id = {compact} AND r.root IS NOT NULL
        AND (s.self_points IS NOT NULL OR s.verified_points IS NOT NULL)
    GROUP BY s.compact_id, s.unit_id, r.root, r.section;"""


SCORE_CHANGED = (
    "OLD.compact_id IS NOT NEW.compact_id OR OLD.unit_id IS NOT NEW.unit_id"
    " OR OLD.criterion_id IS NOT NEW.criterion_id OR OLD.self_points IS NOT NEW.self_points"
    " OR OLD.verified_points IS NOT NEW.verified_points"
)
CRITERION_MOVED = (
    "OLD.parent_id IS NOT NEW.parent_id OR OLD.compact_id IS NOT NEW.compact_id OR "
    f"{SECTION.format(kind='OLD.kind')} <> {SECTION.format(kind='NEW.kind')}"
)

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER scoring_score_totals_insert AFTER INSERT ON scoring_score
    BEGIN {sqlite_add("NEW")} END""",
    f"""CREATE TRIGGER scoring_score_totals_update AFTER UPDATE ON scoring_score
    WHEN {SCORE_CHANGED}
    BEGIN {sqlite_subtract("OLD")} {sqlite_add("NEW")} END""",
    f"""CREATE TRIGGER scoring_score_totals_delete AFTER DELETE ON scoring_score
    BEGIN {sqlite_subtract("OLD")} END""",
    f"""CREATE TRIGGER scoring_criterion_totals_update AFTER UPDATE ON scoring_criterion
    WHEN {CRITERION_MOVED}
    BEGIN {sqlite_rebuild("OLD.compact_id")} {sqlite_rebuild("NEW.compact_id")} END""",
    # Django deletes a criterion's scores before the criterion: nothing left to rebuild.
    f"""CREATE TRIGGER scoring_criterion_totals_delete AFTER DELETE ON scoring_criterion
    WHEN EXISTS (SELECT 1 FROM scoring_score WHERE compact_id = OLD.compact_id)
    BEGIN {sqlite_rebuild("OLD.compact_id")} END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "scoring_score_totals_insert",
        "scoring_score_totals_update",
        "scoring_score_totals_delete",
        "scoring_criterion_totals_update",
        "scoring_criterion_totals_delete",
    )
]

# The backfill on SQLite: every compact at once (a WITH clause is allowed outside triggers).
SQLITE_BACKFILL = f"""
    WITH RECURSIVE tree (id, root) AS (
        SELECT id, id FROM scoring_criterion WHERE parent_id IS NULL
        UNION ALL
        SELECT c.id, tree.root FROM scoring_criterion c JOIN tree ON c.parent_id = tree.id
    )
    INSERT INTO scoring_scoretotal ({COLUMNS})
    SELECT s.compact_id, s.unit_id, tree.root, {SECTION.format(kind="c.kind")},
        SUM(COALESCE(s.self_points, 0)), COUNT(s.self_points),
        SUM(COALESCE(s.verified_points, 0)), COUNT(s.verified_points)
    FROM scoring_score s
    JOIN tree ON tree.id = s.criterion_id
    JOIN scoring_criterion c ON c.id = s.criterion_id AND c.compact_id = s.compact_id
    WHERE s.self_points IS NOT NULL OR s.verified_points IS NOT NULL
    GROUP BY 1, 2, 3, 4"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            for sql in (PG_REBUILD, PG_SCORE_FUNCTION, PG_CRITERION_FUNCTION, PG_TRIGGERS):
                cursor.execute(sql)
            cursor.execute("SELECT scoring_rebuild_score_totals(NULL)")
        elif vendor == "sqlite":
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
            cursor.execute(SQLITE_BACKFILL)
        else:
            raise NotImplementedError(f"maintained totals need triggers on {vendor}")


def uninstall(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(PG_DROP)
        else:
            for sql in SQLITE_DROP:
                cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('scoring', '0014_not_applicable'),
        ('units', '0004_succession_lock_accounts'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScoreTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('section', models.CharField(choices=[('content', 'content'), ('bonus', 'bonus'), ('deduction', 'deduction')], max_length=20, verbose_name='section')),
                ('self_points', models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name='self-assessed points')),
                ('self_scored', models.IntegerField(default=0, verbose_name='self-assessed leaves')),
                ('verified_points', models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name='verified points')),
                ('verified_scored', models.IntegerField(default=0, verbose_name='verified leaves')),
                ('compact', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scoring.compact', verbose_name='compact')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scoring.criterion', verbose_name='group')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'score total',
                'verbose_name_plural': 'score totals',
                'constraints': [models.UniqueConstraint(fields=('compact', 'unit', 'group', 'section'), name='one_total_per_group')],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
