"""A minimal `env`: the cursor (`env.cr`), the user id, and `env['model']` helpers over
the model tables, enough for shells, hooks and tests."""

from psycopg2 import sql

SUPERUSER_ID = 1


def table_name(model):
    return model.replace(".", "_")


class Model:
    def __init__(self, env, model):
        self.env = env
        self._name = model
        self._table = table_name(model)

    def _where(self, domain):
        clauses, params = [], []
        for leaf in domain or []:
            field, op, value = leaf
            if op not in ("=", "!=", "<", ">", "<=", ">=", "in", "not in", "like", "ilike"):
                raise ValueError(f"unsupported operator {op!r}")
            if op in ("in", "not in"):
                clauses.append(sql.SQL("{} {} %s").format(sql.Identifier(field), sql.SQL(op.upper())))
                params.append(tuple(value) or (None,))
            elif value is None and op in ("=", "!="):
                clauses.append(sql.SQL("{} IS {}NULL").format(sql.Identifier(field), sql.SQL("NOT " if op == "!=" else "")))
            else:
                clauses.append(sql.SQL("{} {} %s").format(sql.Identifier(field), sql.SQL(op.upper())))
                params.append(value)
        where = sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("TRUE")
        return where, params

    def search_count(self, domain=None):
        where, params = self._where(domain)
        self.env.cr.execute(sql.SQL("SELECT count(*) FROM {} WHERE ").format(sql.Identifier(self._table)) + where, params)
        return self.env.cr.fetchone()[0]

    def search_read(self, domain=None, fields=None, limit=None):
        where, params = self._where(domain)
        cols = sql.SQL(", ").join(sql.Identifier(f) for f in fields) if fields else sql.SQL("*")
        query = sql.SQL("SELECT {} FROM {} WHERE ").format(cols, sql.Identifier(self._table)) + where + sql.SQL(" ORDER BY id")
        if limit:
            query += sql.SQL(" LIMIT {}").format(sql.Literal(int(limit)))
        self.env.cr.execute(query, params)
        names = [d[0] for d in self.env.cr.description]
        return [dict(zip(names, row)) for row in self.env.cr.fetchall()]

    def create(self, values):
        columns = list(values)
        self.env.cr.execute(
            sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
                sql.Identifier(self._table),
                sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                sql.SQL(", ").join(sql.Placeholder() for _ in columns),
            ),
            [values[c] for c in columns],
        )
        return self.env.cr.fetchone()[0]

    def write(self, ids, values):
        columns = list(values)
        self.env.cr.execute(
            sql.SQL("UPDATE {} SET {} WHERE id IN %s").format(
                sql.Identifier(self._table),
                sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns),
            ),
            [values[c] for c in columns] + [tuple(ids)],
        )
        return True


class Environment:
    def __init__(self, cr, uid=SUPERUSER_ID, context=None):
        self.cr = cr
        self.uid = uid
        self.context = dict(context or {})

    def __getitem__(self, model):
        return Model(self, model)

    def ref(self, xmlid, raise_if_not_found=True):
        """(model, id) of an external id such as 'base.user_admin'."""
        module, name = xmlid.split(".", 1)
        self.cr.execute("SELECT model, res_id FROM ir_model_data WHERE module = %s AND name = %s", (module, name))
        row = self.cr.fetchone()
        if row is None and raise_if_not_found:
            raise ValueError(f"External ID not found in the system: {xmlid}")
        return row


def _identity(*_args, **_kwargs):
    """Odoo's method decorators (`api.model`, `api.depends`...): the stand-in's models have
    no ORM methods to drive, so each returns the method unchanged."""
    if len(_args) == 1 and callable(_args[0]) and not _kwargs:
        return _args[0]
    return lambda method: method


model = model_create_multi = depends = constrains = onchange = returns = autovacuum = _identity
