"""Demonstration data of the portal: two citizens who follow the Elbasan council by e-mail
(confirmed, on example domains), so the sweep (kvsp/portal/subscriptions.py) has someone to
write to. Idempotent: a second run changes nothing."""

from datetime import timedelta

from django.utils import timezone

from councils.models import Council

from .models import Subscription

FOLLOWERS = (
    # (council, address, language, topics)
    ("elbasan", "ermira.shehu@shembull.example.al", "sq", ["consultations", "plans", "reports", "meetings"]),
    ("elbasan", "gent.kola@posta.example.al", "sq", ["consultations", "meetings"]),
    ("belsh", "luljeta.dervishi@shembull.example.al", "en", ["plans", "reports"]),
)


def load() -> int:
    created = 0
    councils = {c.slug: c for c in Council.objects.filter(municipality__slug__in={f[0] for f in FOLLOWERS})}
    for slug, email, language, topics in FOLLOWERS:
        if slug not in councils:
            continue
        _subscription, new = Subscription.objects.get_or_create(
            council=councils[slug],
            email=email,
            defaults={
                "language": language,
                "topics": topics,
                "confirmed_at": timezone.now() - timedelta(days=30),
            },
        )
        created += new
    return created
