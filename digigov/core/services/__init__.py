"""Every write of the shared kernel (core): one module per concern, each in transaction.atomic with audit."""
