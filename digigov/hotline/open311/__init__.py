"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests (POST with an API key; GET), tokens.

render.py writes the spec's JSON and XML; resources.py builds the documents from the hotline's models;
intake.py turns a POST into an appeal; views.py ties them to URLs (urls_open311.py).
"""
