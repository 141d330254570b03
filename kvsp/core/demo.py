"""Demo accounts for `load_demo`. Idempotent: a second run changes nothing."""

from django.contrib.auth import get_user_model

DEMO_PASSWORD = "demo-kvsp-2026"  # noqa: S105 - printed for the demo, never used in production

# (e-mail, full name, role as DESIGN.md names it, platform admin?, national observer?)
DEMO_USERS = [
    ("admin@kvsp.demo", "Arta Hoxha", "platform admin", True, False),
    ("vezhguesi@kvsp.demo", "Besnik Kola", "national observer", False, True),
    ("kryetari@elbasan.kvsp.demo", "Gazmend Oketa", "chair of the Elbasan council (mayor)", False, False),
    ("skn.bashkia@elbasan.kvsp.demo", "Elira Muça", "SKN, municipality seat (Elbasan)", False, False),
    ("skn.policia@elbasan.kvsp.demo", "Artan Dervishi", "SKN, police seat (Elbasan)", False, False),
    (
        "skn.prokuroria@elbasan.kvsp.demo",
        "Mirela Shehu",
        "SKN, prosecution seat (Elbasan, Belsh, Librazhd)",
        False,
        False,
    ),
    ("sekretari@elbasan.kvsp.demo", "Dorina Cela", "technical secretary (Elbasan)", False, False),
    ("anetar@elbasan.kvsp.demo", "Ilir Basha", "council member (Elbasan education office)", False, False),
    ("i.ftuar@elbasan.kvsp.demo", "Entela Gjoni", "invited guest (Elbasan prefecture)", False, False),
    ("kryetari@belsh.kvsp.demo", "Erion Nasi", "chair of the Belsh council (mayor)", False, False),
    ("sekretari@belsh.kvsp.demo", "Alma Ferra", "technical secretary (Belsh)", False, False),
]


def load() -> int:
    """Create or refresh the demo accounts; returns how many were created."""
    User = get_user_model()
    created = 0
    for email, full_name, _role, is_admin, is_observer in DEMO_USERS:
        wanted = {
            "full_name": full_name,
            "is_staff": is_admin,
            "is_superuser": is_admin,
            "is_national_observer": is_observer,
            "is_active": True,
        }
        user = User.objects.filter(email=email).first()
        if user is None:
            User.objects.create_user(email=email, password=DEMO_PASSWORD, **wanted)
            created += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
    return created
