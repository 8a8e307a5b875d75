(COALESCE(readonly,
    CASE WHEN regexp_like(eventname, '^(Get|List|Describe|Head|Lookup|Search|BatchGet|Check|Simulate|Preview|View|Validate)') THEN 'true' ELSE 'false' END
  ) <> 'true')
