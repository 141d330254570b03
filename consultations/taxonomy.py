"""The national problem taxonomy (issue 24, item 2): the areas of the Cross-sector Strategy for
Community Safety 2021–2026 that every consultation problem and plan row is filed under, so the
ministry can add up what the 61 councils are doing about which problems (monitoring/rollup.py).

Reference data kept by the platform admin (seeded by consultations/migrations/0006). A category in
use is never deleted (``PROTECT``): the admin either deactivates it (no longer offered in the
forms) or merges it into another (``category_merge``). A merge repoints every problem and every
plan row that is not frozen; rows of approved plan versions are frozen by database triggers
(plans/migrations/0002) and keep the category they were approved with — the merged category then
stays, inactive, with ``merged_into`` set, and the roll-up counts it under the category it was
merged into. A category nothing refers to any more is deleted by the merge.

Concern categories (what a citizen picks on the concern form, ``Concern.Category``) map onto the
taxonomy by ``CONCERN_CATEGORY_MAP``: a new problem grouped from concerns is proposed the
category most of its concerns map to.
"""

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kvsp.core import public_cache

# The seeded categories: (code, Albanian name, English name), in their order. School safety is
# here because the concern form has it (``Concern.Category.SCHOOL_SAFETY``) and the model guide
# names the school among the council's first partners (bullying, drugs around schools).
SEED = [
    ("domestic_violence", "Dhuna në familje", "Domestic violence"),
    ("drugs_alcohol_youth", "Droga dhe alkooli te të rinjtë", "Drugs and alcohol among young people"),
    ("road_safety", "Siguria rrugore", "Road safety"),
    ("juvenile_delinquency", "Delikuenca e të miturve", "Juvenile delinquency"),
    ("property_crime", "Krimet ndaj pronës", "Property crime"),
    ("public_order", "Rendi publik", "Public order"),
    ("violent_extremism", "Ekstremizmi i dhunshëm", "Violent extremism"),
    ("online_safety", "Siguria në internet", "Online safety"),
    ("school_safety", "Siguria në shkolla dhe përreth tyre", "Safety at and around schools"),
    ("other", "Të tjera", "Other"),
]

# Concern.Category (the citizen's choice) → the taxonomy's code. Hotspots of drugs or crime are a
# matter of public order; the culture of silence (fear of reporting) is no area of its own.
CONCERN_CATEGORY_MAP = {
    "drugs_alcohol_youth": "drugs_alcohol_youth",
    "domestic_violence": "domestic_violence",
    "hotspots": "public_order",
    "traffic": "road_safety",
    "property_crime": "property_crime",
    "school_safety": "school_safety",
    "violent_extremism": "violent_extremism",
    "culture_of_silence": "other",
    "other": "other",
}


class ProblemCategoryQuerySet(models.QuerySet):
    def offered(self, current_id: int | None = None):
        """What a form offers: the active categories, and the one already chosen (even inactive)."""
        return self.filter(models.Q(active=True) | models.Q(pk=current_id)).order_by("order", "code")


class ProblemCategory(models.Model):
    """One area of the national taxonomy."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sq = models.CharField(_("name in Albanian"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive categories are no longer offered in the forms.")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
        help_text=_("Set by the merge: approved plans keep this category, the roll-up counts it there."),
    )

    objects = ProblemCategoryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language (Albanian unless English is chosen)."""
        return self.name_en if (get_language() or "sq").startswith("en") else self.name_sq


def category_name(name_sq: str, name_en: str) -> str:
    return name_en if (get_language() or "sq").startswith("en") else name_sq


def checked_category(category, current: int | None = None) -> ProblemCategory | None:
    """A problem's or plan row's category: an active one, or the one it already has. Optional to
    the services (rows imported from a paper plan have none yet); the forms require it."""
    if category in (None, ""):
        return None
    if not isinstance(category, ProblemCategory) or not (category.active or category.pk == current):
        raise ValidationError({"category": _("Choose a category of the national list.")})
    return category


def proposed_code(concern_categories: Iterable[str]) -> str | None:
    """The taxonomy code most of the concerns' categories map to (ties: the taxonomy's order)."""
    counts = Counter(CONCERN_CATEGORY_MAP[c] for c in concern_categories if c in CONCERN_CATEGORY_MAP)
    if not counts:
        return None
    order = [code for code, _sq, _en in SEED]
    return min(counts, key=lambda code: (-counts[code], order.index(code) if code in order else 99))


def proposed_category(concern_categories: Iterable[str]) -> ProblemCategory | None:
    code = proposed_code(concern_categories)
    if code is None:
        return None
    category = ProblemCategory.objects.filter(code=code).first()
    while category is not None and category.merged_into_id:  # merged since: its successor
        category = category.merged_into
    return category


def successors() -> dict[int | None, int | None]:
    """{merged category id: the active category it now counts under} (one query): a row copied
    from a frozen one takes the successor of a category merged since."""
    merged = dict(
        ProblemCategory.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    found: dict[int | None, int | None] = {}
    for pk in merged:
        final, seen = pk, set()
        while final in merged and final not in seen:
            seen.add(final)
            final = merged[final]
        found[pk] = final
    return found


@transaction.atomic
@public_cache.invalidates
def category_merge(*, source: ProblemCategory, target: ProblemCategory) -> int:
    """Merge ``source`` into ``target``: every consultation problem and every row of a draft plan
    version moves to ``target`` (rows of submitted and approved versions keep it: what the chair
    reads or approved does not change); categories merged into ``source`` earlier now point at
    ``target``. Returns how many plan rows keep ``source``: 0 when it was deleted, else it stays,
    inactive, merged into ``target``."""
    from consultations.models import Problem  # the models import this module

    source = ProblemCategory.objects.select_for_update().get(pk=source.pk)
    target = ProblemCategory.objects.select_for_update().get(pk=target.pk)
    if source.pk == target.pk:
        raise ValidationError(_("Choose another category to merge into."))
    if target.merged_into_id or not target.active:
        raise ValidationError(_("Merge into an active category that was not itself merged."))
    # Saved one by one, not with .update(): each change leaves its row in the history trail.
    for problem in Problem.objects.filter(category=source):
        problem.category = target
        problem.save(update_fields=["category"])
    for earlier in ProblemCategory.objects.filter(merged_into=source):
        earlier.merged_into = target
        earlier.save(update_fields=["merged_into"])
    rows = source.plan_rows.model  # plans.PlanProblem, without importing the plans app here
    for row in rows.objects.filter(category=source, version__status="draft"):
        row.category = target
        row.save(update_fields=["category"])
    kept = rows.objects.filter(category=source).count()
    if kept:
        source.active = False
        source.merged_into = target
        source.save(update_fields=["active", "merged_into"])
        return kept
    source.delete()
    return 0
