(errorcode IN ('ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded', 'Client.RequestLimitExceeded',
    'TooManyRequestsException', 'TooManyRequests', 'SlowDown', 'RequestThrottled', 'RequestThrottledException',
    'ProvisionedThroughputExceededException', 'EC2ThrottledException', 'PriorRequestNotComplete', 'BandwidthLimitExceeded')
  OR regexp_like(errorcode, '(?i)(throttl|toomanyrequests|requestlimitexceeded|rateexceeded|slowdown)'))
