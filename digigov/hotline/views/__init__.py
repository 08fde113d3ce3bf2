"""The hotline's staff console under /console/hotline/: intake, the dispatcher's queue, worklists, the appeal
page with its actions, callbacks and the hot-issue board. Every view declares its policy with @access; appeals
are read through hotline.selectors (scoped to the actor), written only through hotline.services."""
