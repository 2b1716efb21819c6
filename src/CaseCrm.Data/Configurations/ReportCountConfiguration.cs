using CaseCrm.Data.Reports;
using CaseCrm.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CaseCrm.Data.Configurations;

internal sealed class ReportCountConfiguration : IEntityTypeConfiguration<ReportCount>
{
    public void Configure(EntityTypeBuilder<ReportCount> builder)
    {
        // The key is the cell; a report reads a measure's and a dimension's coarse or fine cells of its units by their starts
        // (a prefix of it).
        builder.HasKey(r => new { r.Measure, r.Dimension, r.Fine, r.Unit, r.Start, r.GroupKey, r.Step, r.Met });
        builder.Property(r => r.GroupKey).HasMaxLength(Limits.UserId);
    }
}
