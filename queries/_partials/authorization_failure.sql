(errorcode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation',
    'UnauthorizedAccess', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException',
    'AuthorizationException', 'NotAuthorized', 'NotAuthorizedException', 'Forbidden', 'ForbiddenException',
    'AccessDeniedFault', 'InsufficientPermissionsException', 'InsufficientPrivilegesException', 'Client.AuthFailure', 'AuthFailure')
  OR regexp_like(errorcode, '(?i)(accessdenied|unauthorized|notauthorized|forbidden)'))
