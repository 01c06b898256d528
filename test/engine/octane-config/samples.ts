// Sample Octane config files in each format, as admins leave them: comments, odd spacing,
// Windows paths, encrypted passwords, a commented-out old value.
export const SETUP_XML = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">
<properties>
<comment>ALM Octane site settings</comment>
<entry key="DBType">MSSQL</entry>
<entry key="ConnectionString">jdbc:sqlserver://sqlprod01.corp.local:1433;databaseName=octane_site;encrypt=false</entry>
<entry key="DBAdminUser">octane_admin</entry>
<entry key="DBAdminPassword">ENC(q9Zr1vT0bXk=)</entry>
<entry key="SchemaName">octane_site</entry>
<entry key="SharedSpaceSchemaName">octane_sp_1001</entry>
<!-- <entry key="RepositoryFolder">D:\\old-repo</entry> -->
<entry key="RepositoryFolder">C:\\octane\\repo</entry>
<entry   key = 'ElasticHost' >  es01.corp.local   </entry>
<entry key="ElasticPort">9300</entry>
<entry key="ElasticClusterName">octane&amp;es</entry>
<entry key="Empty"/>
</properties>
`;

export const OCTANE_CONF = `# ALM Octane configuration (HOCON)
octane.version = "16.2.100"

database {
\ttype = "ORACLE"   # MSSQL or ORACLE
  connection-string = "jdbc:oracle:thin:@//orahost.corp.local:1521/OCTPDB"
  admin-user {
    name = "system"
    password = "{ENC}3kdf93kd=="
  }
  site-schema {
    name    :   octane_site_schema
    password: "{ENC}aa1=="
  }
  // the space schema
  shared-space-schema { name = OCTANE_SP_1001 }
}

elasticsearch {
  hosts = [ "es1.corp.local:9200",
            "es2.corp.local:9200" ]
  cluster-name = octane-cluster
}
general.repository-folder = /var/opt/octane/repo   # shared NFS
`;

export const OCTANE_YML = `# octane.yml: other site settings
server:
  appURL: http://octane.corp.local:8080   # comment
  repositoryFolder: "D:\\\\Octane Repo"
database:
  type: MSSQL
  server: sqlprod02
  port: 1433
  siteSchema:
    name: 'octane_site'
elasticsearch:
  host: es3
  port: 9200
cluster:
  - node1
  - node2
`;
