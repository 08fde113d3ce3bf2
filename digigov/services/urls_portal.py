urlpatterns: list = []  # filled by the portal views (citizen side)
