"""What a sample book is drawn from: names, codes, proportions and the shared row formats."""

ACTOR = "sample"  # who the generated rows are "by" where no collector did it
HISTORY_DAYS = 548  # about 18 months of invoices before today

PREFIXES = (
    "Northwind Bluebird Summit Cascade Ironwood Redwood Silverline Granite Harbor Meridian "
    "Pioneer Keystone Lakeshore Evergreen Atlas Beacon Cobalt Crescent Falcon Frontier "
    "Highland Horizon Juniper Liberty Maple Nimbus Orion Pacific Pinnacle Prairie Quarry "
    "Riverbend Sapphire Sierra Starling Sterling Tidewater Trident Valley Vanguard Willow "
    "Zenith Apex Arrowhead Bayside Blackstone Brightwater Canyon Cedar Copperfield Driftwood "
    "Eastgate Fairfield Foxglove Greystone Hawthorne Ironbridge Kestrel Lighthouse Marlin "
    "Northgate Oakridge Osprey Redstone Seabright Stonebridge Sunrise Thornbury Westbrook"
).split()
TRADES = (
    "Industrial Logistics Foods Packaging Chemicals Components Electric Fabrication Hardware "
    "Medical Plastics Steel Textiles Tooling Freight Pharma Agritech Building Paper Optics "
    "Marine Energy Print Robotics Labs Controls Fasteners Coatings Beverage Furniture"
).split()
KINDS_OF_FIRM = (
    "Supply Systems Partners Group Works Holdings Distribution Solutions Manufacturing Traders Services Company"
).split()
# region: (weight, legal forms, phone area codes)
REGIONS = {
    "NA-East": (30, ("Inc.", "LLC", "Corp."), (212, 617, 404, 305, 215)),
    "NA-West": (25, ("Inc.", "LLC", "Corp."), (415, 206, 503, 213, 303)),
    "EMEA": (25, ("GmbH", "Ltd", "B.V.", "S.A.", "AB"), (20, 30, 40, 69, 89)),
    "APAC": (12, ("Pty Ltd", "Pte. Ltd.", "K.K.", "Ltd"), (2, 3, 61, 65, 81)),
    "LATAM": (8, ("S.A. de C.V.", "Ltda.", "S.A."), (11, 21, 55, 56, 57)),
}
FIRST_NAMES = (
    "Ana Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kara Luis Maya Nikhil Olga Priya "
    "Quinn Rafael Sofia Tomas Uma Viktor Wen Ximena Yusuf Zara Aaron Bianca Carlos Dana Emil "
    "Fatima Gustav Hana Ivan Julia Kenji Lena Marco Nadia"
).split()
LAST_NAMES = (
    "Adams Becker Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen "
    "Moreno Nakamura Okafor Petrov Quist Rossi Schmidt Tanaka Ueda Varga Weber Xu Yilmaz "
    "Zhang Alvarez Brennan Chen Novak Walsh Silva Murphy Singh Kim Lopez Meyer Nguyen Patel"
).split()
CONTACT_ROLES = ("AP Clerk", "Controller", "CFO")
COLLECTOR_IDS = (
    "alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy quentin "
    "rupert sybil trent ursula victor walter xavier yvonne zoe"
).split()
COLLECTOR_LIMITS = (50_000, 250_000)  # $500 / $2,500; the lead's is $25,000
LEAD_LIMIT = 2_500_000
CADENCES = (7, 10, 14, 14, 21, 30)
METHODS = (("ach", 50), ("check", 25), ("wire", 15), ("card", 10))
TERMS = ((15, 10), (30, 55), (45, 20), (60, 15))
# payer profile: (weight, mean days late range, spread in days, chance an invoice is never paid)
PROFILES = {
    "prompt": (60, (-5, 5), 10, 0.002),
    "slow": (28, (5, 20), 16, 0.005),
    "chronic": (9, (25, 80), 40, 0.03),
    "troubled": (3, (45, 150), 60, 0.25),
}
# non-active statuses: (share of customers, payer profile that goes with it)
STATUS_SHARES = {
    "credit_hold": (0.04, "chronic"),
    "suspended": (0.012, "troubled"),
    "outside_collections": (0.012, "troubled"),
}
MEMO_REASONS = {  # reason code: (GL code, note); codes of the chart (CHART_FILE) the book seeds
    "small_balance": ("6810", "short payment written off within tolerance"),
    "pricing": ("4510", "price on the invoice above the agreed contract price"),
    "damaged": ("4530", "goods arrived damaged; customer kept them at a discount"),
    "freight": ("4570", "freight billed on a free-shipping order"),
    "tax": ("2310", "sales tax charged on a tax-exempt shipment"),
    "goodwill": ("6120", "goodwill credit agreed with sales"),
}
CHART_FILE = ("arctui_plugins", "memo_rules.csv")
"""The sample's chart of codes: the bundled rule coder's rules file (package, file name), read
as data, so the book's chart and the coder's proposals are the same codes."""
KIND_OUTCOMES = {
    "call": ("LVM", "LVM", "NA", "PIP", "CB", "WN", "RTP"),  # promises log their own PTP
    "email": ("EMS", "EMS", "PIP", "REM"),
    "letter": ("NOTE",),
    "portal": ("REM", "PIP"),
    "note": ("NOTE", "NOTE", "ESC"),
}
KIND_WEIGHTS = (("call", 45), ("email", 35), ("letter", 5), ("portal", 5), ("note", 10))
OUTCOME_NOTES = {
    "PTP": "promised payment on the next check run",
    "LVM": "left a voicemail for {contact} about the past-due balance",
    "NA": "no answer on the AP line",
    "WN": "number no longer in service; asked sales for the new AP contact",
    "DSP": "customer disputes an invoice",
    "PIP": "{contact} says payment is in process this week",
    "RTP": "refuses to pay until the open dispute is settled",
    "CB": "{contact} asked for a call back next week",
    "EMS": "sent a statement of open items to {contact}",
    "REM": "remittance advice received",
    "ESC": "escalated to the team lead",
    "NOTE": "account reviewed",
}
PAYMENTS_SOURCE = {"check": "manual"}  # everything else arrives by bank import
# memo reason codes and the dispute reasons that lead to them
MEMO_FOR_DISPUTE = {
    "pricing": "pricing",
    "damaged": "damaged",
    "quantity": "small_balance",
    "terms": "freight",
    "tax": "tax",
}
DISPUTE_FOR_MEMO = {memo: reason for reason, memo in MEMO_FOR_DISPUTE.items()}
PAYMENT_COLUMNS = (
    "id customer_id received_date currency amount_cents unapplied_cents method"
    " bank_ref remittance source version updated_by updated_at"
)
APPLICATION_COLUMNS = "payment_id invoice_id kind amount_cents applied_date applied_at applied_by"


def invoice_number(invoice_id: int) -> str:
    return f"INV-{invoice_id + 1000:07d}"
