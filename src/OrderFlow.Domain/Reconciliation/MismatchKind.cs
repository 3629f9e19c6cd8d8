namespace OrderFlow.Domain.Reconciliation;

/// <summary>How the order store, the payment provider and the accounting books disagree about one order.</summary>
public enum MismatchKind
{
    /// <summary>Money was kept for goods that did not ship (nothing shipped, or more than the shipped goods are worth).</summary>
    ChargedNotShipped,

    /// <summary>Goods shipped and nothing was collected for them.</summary>
    ShippedNotCharged,

    /// <summary>Money went back to the customer beyond the value of goods received back.</summary>
    RefundedNotRestocked,

    /// <summary>A sale (or a refund) happened and the books hold no document for it.</summary>
    MissingAccountingDocument,

    /// <summary>Both sides hold an amount and the amounts differ.</summary>
    AmountDiffers,

    /// <summary>The payment or a document is in another currency than the order, so its amounts cannot be compared.</summary>
    CurrencyDiffers,
}
