namespace OrderFlow.Api.Models;

/// <summary>Money on the wire: integer minor units, currency, and a display string.</summary>
public sealed record MoneyView(long MinorUnits, string Currency, string Display)
{
    public static MoneyView From(Domain.Common.Money money) => new(money.MinorUnits, money.Currency, money.ToString());
}
