"""Load demonstration data. Idempotent: a second run changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_PASSWORD = "demo-kvsp-2026"  # noqa: S105 - printed for the demo, never used in production

# (e-mail, full name, role as DESIGN.md names it, platform admin?)
DEMO_USERS = [
    ("admin@kvsp.demo", "Arta Hoxha", "platform admin", True),
    ("vezhguesi@kvsp.demo", "Besnik Kola", "national observer", False),
    ("kryetari@elbasan.kvsp.demo", "Gazmend Oketa", "chair (mayor of Elbasan)", False),
    ("skn.bashkia@elbasan.kvsp.demo", "Elira Muça", "SKN, municipality seat", False),
    ("skn.policia@elbasan.kvsp.demo", "Artan Dervishi", "SKN, police seat", False),
    ("skn.prokuroria@elbasan.kvsp.demo", "Mirela Shehu", "SKN, prosecution seat", False),
    ("sekretari@elbasan.kvsp.demo", "Dorina Cela", "technical secretary", False),
    ("anetar@elbasan.kvsp.demo", "Ilir Basha", "council member (education office)", False),
    ("i.ftuar@elbasan.kvsp.demo", "Entela Gjoni", "invited guest (prefecture)", False),
]


class Command(BaseCommand):
    help = "Create or refresh the demonstration data (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        created = 0
        for email, full_name, _role, is_admin in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
                created += 1
                continue
            wanted = {
                "full_name": full_name,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "is_active": True,
            }
            changed = [field for field, value in wanted.items() if getattr(user, field) != value]
            for field in changed:
                setattr(user, field, wanted[field])
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                changed.append("password")
            if changed:
                user.save(update_fields=changed)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} users created)."))
        if options["verbosity"] >= 1:
            self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
            for email, full_name, role, _is_admin in DEMO_USERS:
                self.stdout.write(f"  {email:<36} {full_name:<18} {role}")
