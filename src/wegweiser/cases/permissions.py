"""Permissions of the case management. Object scope (which case) is decided in `selectors`."""

import rules

from wegweiser.accounts.permissions import (
    is_case_manager,
    is_kim_coordinator,
    is_provider_editor,
    is_registration_clerk,
)

rules.add_perm("cases.record_intake", is_registration_clerk)
rules.add_perm("cases.distribute_intakes", is_kim_coordinator)
rules.add_perm("cases.work_cases", is_case_manager)
rules.add_perm("cases.record_gap", is_case_manager)
rules.add_perm("cases.view_gap_report", is_kim_coordinator)
# Providers confirm that they contacted a referred person (the closed loop of a referral).
rules.add_perm("cases.answer_referrals", is_provider_editor | is_case_manager)
