"""Four eyes on what goes public: an editor asks, a different reviewer approves.

Publishing a draft issue and publishing a correction (勘误) of a published one
are requests (``Publication``) until a reviewer other than the requester
approves them; a correction's file waits here, the public content untouched,
and the privacy review applies to the new version before it goes live.
"""
