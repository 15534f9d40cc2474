"""The public pages for journalists: views, selectors, presenters, charts, feeds, JSON-LD, CSV."""
