"""Every write of the 一网通办 domain: keyword-only, atomic, audited."""
