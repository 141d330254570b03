"""factory_boy factories for the whole suite."""

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.al")
    full_name = factory.Faker("name")
    language = "sq"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "councils.Institution"

    name = factory.Sequence(lambda n: f"Institucioni {n}")
    category = "c"


def council(slug: str):
    """One of the 61 councils the reference-data migration created."""
    from councils.models import Council

    return Council.objects.select_related("municipality__county").get(municipality__slug=slug)


def give_role(
    council, role: str, *, user=None, institution=None, full_name=None, email=None, start_date=None
):
    """Build a membership through the services, as the technical secretary would."""
    from councils import services
    from councils.models import CouncilInstitution

    institution = institution or InstitutionFactory()
    if not CouncilInstitution.objects.active().filter(council=council, institution=institution).exists():
        services.seat_add(council=council, institution=institution)
    membership = services.membership_add(
        council=council,
        institution=institution,
        role=role,
        full_name=full_name or (user.full_name if user else "Person Pa Llogari"),
        email=email if email is not None else (user.email if user else ""),
        start_date=start_date,
    )
    if user is not None and membership.person.user_id != user.pk:
        membership.person.user = user
        membership.person.save(update_fields=["user"])
    return membership
