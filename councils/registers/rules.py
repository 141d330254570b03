"""Permissions of the registers (DESIGN.md "Visibility": referral register and cooperation
agreements — SKN and chair; the national observer counts only). Imported by councils/rules.py.

- Referral figures, month by month, and recording them: the chair and the SKN (the municipality's
  social services, the police and the prosecution office hold the figures), and the platform admin.
- Their yearly totals: those, and the national observer.
- Cooperation agreements, their documents, and recording them: the chair, the SKN and the technical
  secretary, who archives the council's signed documents; and the platform admin.
- Plain members and invited guests: neither.
"""

import rules

from ..predicates import (
    is_council_chair,
    is_national_observer,
    is_platform_admin,
    is_skn_member,
    is_technical_secretary,
)

keeps_referrals = is_council_chair | is_skn_member | is_platform_admin
keeps_agreements = keeps_referrals | is_technical_secretary

rules.add_perm("councils.view_referrals", keeps_referrals)
rules.add_perm("councils.change_referrals", keeps_referrals)
rules.add_perm("councils.view_referral_totals", keeps_referrals | is_national_observer)
rules.add_perm("councils.view_agreements", keeps_agreements)
rules.add_perm("councils.change_agreements", keeps_agreements)
# The registers' page: whoever reads one of its parts.
rules.add_perm("councils.view_registers", keeps_agreements | is_national_observer)
