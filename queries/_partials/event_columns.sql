{{!-- The leading output columns of every event-level CloudTrail query, in this order
     (the query adds its own columns after them, and eventid last). Used as
     `  {{> event_columns}},` in a SELECT list indented by two spaces. --}}
eventtime,
  {{> actor}} AS principal,
  useridentity.type AS principal_type,
  eventsource,
  eventname,
  sourceipaddress,
  useragent,
  errorcode,
  recipientaccountid,
  awsregion
