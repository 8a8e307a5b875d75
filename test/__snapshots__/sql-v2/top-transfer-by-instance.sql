-- casebook render top-transfer-by-instance (default v2 flow-log format) refuses:
top-transfer-by-instance: needs the vpc_flow_logs field instance-id, which the table's format lacks: declare the flow log's format (vpc_flow_logs.format or header_from in casebook.config.yaml, as for casebook ddl --format)
