"""Every write of the identity domain. Each service is keyword-only, atomic, and audited."""
