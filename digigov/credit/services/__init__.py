"""Every write of the credit domain (joint-punishment list: joint_punishment.py)."""
