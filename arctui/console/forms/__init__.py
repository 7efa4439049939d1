"""The collector's action forms, each a ``ModalScreen[bool]`` built as
``FormClass(ctx, customer_id)`` that saves through its service and dismisses with True
(False on cancel). ``ACTIONS`` lists them as (key, label, form class) for the console."""

from arctui.console.forms.agency_recovery import AgencyRecoveryForm
from arctui.console.forms.apply_cash import ApplyCashForm
from arctui.console.forms.contacts import ContactForm
from arctui.console.forms.credit_hold import CreditHoldForm
from arctui.console.forms.credit_limit import CreditLimitForm
from arctui.console.forms.credit_memo import CreditMemoForm
from arctui.console.forms.dispute_open import DisputeOpenForm
from arctui.console.forms.dispute_resolve import DisputeResolveForm
from arctui.console.forms.dunning_pause import DunningPauseForm
from arctui.console.forms.escalate import EscalateForm
from arctui.console.forms.escalation_decision import EscalationDecisionForm
from arctui.console.forms.memo_approval import MemoApprovalForm
from arctui.console.forms.payment_plan import PaymentPlanForm
from arctui.console.forms.promise import PromiseForm
from arctui.console.forms.send_email import SendEmailForm
from arctui.console.forms.touchpoint import TouchpointForm

ACTIONS = [
    ("c", "Log call / email / note", TouchpointForm),
    ("p", "Promise to pay", PromiseForm),
    ("d", "Open dispute", DisputeOpenForm),
    ("D", "Resolve dispute", DisputeResolveForm),
    ("m", "Credit memo", CreditMemoForm),
    ("M", "Approve / reject / post memos", MemoApprovalForm),
    ("h", "Credit hold / release", CreditHoldForm),
    ("L", "Credit limit: change / approve", CreditLimitForm),
    ("e", "Escalate", EscalateForm),
    ("E", "Decide escalations", EscalationDecisionForm),
    ("A", "Agency recovery", AgencyRecoveryForm),
    ("a", "Apply unapplied cash", ApplyCashForm),
    ("P", "Payment plan", PaymentPlanForm),
    ("s", "Send email", SendEmailForm),
    ("z", "Pause reminders", DunningPauseForm),
    ("o", "Contacts: add, edit, retire", ContactForm),
]
