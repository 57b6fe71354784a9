"""ORM building blocks the selectors share."""

from django.db.models import (
    Aggregate,
    F,
    Func,
    JSONField,
    Lookup,
    RowRange,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, JSONObject


class AnyOf(Lookup):
    """``lhs = ANY(array)``: an array expression, or a list as one parameter (SQLite: ``IN``).

    The one form PostgreSQL answers through lhs's index for an array it
    computes. A list of ids (a region page's subtree: 86 for a country) is
    one array parameter instead of a parameter each, which Django prepared
    and compiled and psycopg converted one by one, in every query naming them.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


class _JSONObject(JSONObject):
    # json_build_object, not Django's jsonb_build_object: the keys stay in
    # the order given (jsonb sorts them), as the rows' dicts and the API show them.
    def as_postgresql(self, compiler, connection, **extra_context):
        return Func.as_sql(self, compiler, connection, function="JSON_BUILD_OBJECT")


class _JSONArray(Aggregate):
    function = "JSON_AGG"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def json_list(rows, order, **fields):
    """Return an expression: the rows of ``rows`` as one JSON list of objects, in ``order``.

    ``rows`` is a queryset naming the outer row (``OuterRef``), ``order``
    the fields (names or expressions) it is ordered by, ``fields`` each
    object's keys and their expressions; an empty list when there are none.
    A subquery of the outer row's own query, where a query of its own per
    list cost more than the list. A window over every row, not ORDER BY inside the aggregate, which
    SQLite has only from 3.44; text cast, as the JSON field decodes it.
    """
    whole = Window(
        _JSONArray(_JSONObject(**fields)),
        order_by=[F(name) if isinstance(name, str) else name for name in order],
        frame=RowRange(None, None),
    )
    listed = rows.order_by().annotate(json_list=Cast(whole, TextField())).values("json_list")[:1]
    return Coalesce(Subquery(listed), Value("[]"), output_field=JSONField())
