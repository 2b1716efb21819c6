using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class ParentChildSettingsConfiguration : IEntityTypeConfiguration<ParentChildSettings>
{
    public void Configure(EntityTypeBuilder<ParentChildSettings> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.InheritedFields).HasField("_inheritedFields");
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
