"""Who is responsible, in the order named. A plan row's institutions and actors and an activity's
partners and actors are read in the order the secretary named them — the order typed (the actors'
box, an imported workbook's cell, the services' lists) or ticked (the form lists the council's
institutions and actors by name) — not re-sorted by name: Table 1 prints "Përfaqësues të
komunitetit" before "OJF", and the outputs keep it.

The order is the order of the many-to-many link rows: ``name_in_order`` writes the new ones one
by one in the order given (Django's ``set``/``add`` insert a set, whose order is not the one given)
and leaves the ones kept in place, so editing a row never re-sorts it; ``in_named_order`` reads
them back in that order for a ``Prefetch`` and ``named`` for one row (a read without either, such
as ``problem.actors.all()``, follows the model's order by name). A new version copies them in order.
"""

from typing import Any

from django.db.models import Model, QuerySet


def _link_table(model: type[Model], field: str) -> str:
    relation: Any = model._meta.get_field(field)
    return relation.remote_field.through._meta.db_table


def in_named_order(model: type[Model], field: str) -> QuerySet:
    """The targets of ``model.field`` (e.g. ``PlanProblem``, "actors") in the order they were named,
    as the queryset of a ``Prefetch(field, ...)`` or a filter of the related manager."""
    target: Any = model._meta.get_field(field).related_model
    return target._default_manager.extra(order_by=[f"{_link_table(model, field)}.id"])


def named(instance: Model, field: str) -> list:
    """``instance.field``'s targets in the order named: the prefetched list when there is one
    (prefetch it with ``in_named_order``), else one query in that order."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    if field in cache:
        return list(cache[field])
    return list(getattr(instance, field).extra(order_by=[f"{_link_table(type(instance), field)}.id"]))


def name_in_order(instance: Model, field: str, targets) -> None:
    """Make ``instance.field`` name ``targets`` (each once): those it names already keep their
    place, those it did not follow in the order given, those no longer given go. The order of a
    new row or activity (or a new version's copy) is the order given; editing one never re-sorts
    it (a form's ticked boxes come by name: their order says nothing)."""
    given = list(dict.fromkeys(targets))
    manager = getattr(instance, field)
    source = f"{type(instance)._meta.model_name}_id"
    current = list(
        manager.through.objects.filter(**{source: instance.pk})
        .order_by("id")
        .values_list(f"{manager.target_field_name}_id", flat=True)
    )
    wanted = {target.pk for target in given}
    gone = [pk for pk in current if pk not in wanted]
    if gone:
        manager.remove(*gone)
    for target in given:  # one by one: ``add`` of several inserts them in no set order
        if target.pk not in current:
            manager.add(target)
