urlpatterns: list = []  # filled by the console views (staff side)
