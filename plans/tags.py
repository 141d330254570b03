"""The fixed lists a plan's rows and activities are tagged with: the groups they serve (the guide
asks that marginalised and vulnerable groups be made visible), where an activity's money comes from,
and how an indicator's values are split (by sex, by age band)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    WOMEN_GIRLS = "women_girls", _("women and girls")
    CHILDREN = "children", _("children")
    YOUTH = "youth", _("youth")
    ELDERLY = "elderly", _("elderly people")
    ROMA_EGYPTIANS = "roma_egyptians", _("Roma and Egyptians")
    DISABILITIES = "disabilities", _("persons with disabilities")
    OTHERS = "others", _("other vulnerable groups")


class FundingSource(models.TextChoices):
    MUNICIPAL = "municipal", _("municipal budget")
    INSTITUTION = "institution", _("an institution's own budget")
    DONOR = "donor", _("donor")
    OTHER = "other", _("other")


class Disaggregation(models.TextChoices):
    SEX = "sex", _("by sex")
    AGE = "age", _("by age band")
    SEX_AGE = "sex_age", _("by sex and age band")
