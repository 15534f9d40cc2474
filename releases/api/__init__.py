"""The REST API under /api/v1/: open to read, analysts write through the admin's services.

- `serializers`: output shapes; `inputs`: what writes accept (validated, then handed to a service)
- `views`: thin viewsets over `releases.selectors`, `releases.reports` and `releases.services`
- `filters`: django-filter sets (and the full-text search) for every list
- `caching`: ETag / Last-Modified from the data version, 304s, the per-version response cache
- `pagination`, `permissions`, `throttling`, `errors` (one error format), `renderers` (CSV),
  `schema` (OpenAPI additions: error responses, a request example per operation), `export`
"""
