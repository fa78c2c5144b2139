using OdhMigration.Core.Stages.Transform.ModelMesh;
using OdhMigration.Core.Stages.Transform.Serverless;

namespace OdhMigration.Core.Stages.Transform;

/// <summary>The mode transformers transform knows about, one per source mode.</summary>
public static class TransformerCatalog
{
    public static IReadOnlyList<IModeTransformer> All => [new ServerlessTransformer(), new ModelMeshTransformer()];
}
