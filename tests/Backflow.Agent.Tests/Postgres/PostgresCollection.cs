using Backflow.Agent.Tests.Support;

namespace Backflow.Agent.Tests.Postgres;

/// <summary>Every PostgreSQL test class shares one test cluster (started once); each test gets its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
