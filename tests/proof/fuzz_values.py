"""Values the fuzz tests put in files and forms: what people type by mistake, what other
systems export, and what an attacker tries."""

TOKENS = ["", " ", "-", "0", "-0", "00", "1", "-1", "0.001", "1.005", "99999999999999999999999",
          "9" * 400, "1e308", "NaN", "inf", "(1,000.00)", "1.234,56", "$", "€5.000,00", "¥100",
          "USD", "XXX", "usd", "2026-02-30", "0000-00-00", "2026-13-01", "31/12/2026", "20261301",
          "261131", "\x00", "é", "\u202e", "\ufeff", ",", ";", '"', "'", "\n", "\r", "/", "88", "16",
          "INV-1001", "INV-1003", "C100", "C200", "C999", "CRDT", "DBIT", "BOOK", "ach", "wire",
          "check", "card", "cash", "yes", "no", "active", "credit hold", "=1+1", "@SUM(1)",
          "a@b.c", "not an email", "x" * 300]
