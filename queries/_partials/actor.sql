COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type)
