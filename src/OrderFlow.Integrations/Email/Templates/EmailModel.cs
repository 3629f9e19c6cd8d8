namespace OrderFlow.Integrations.Email.Templates;

/// <summary>
/// What every customer email template sees (snake_case in Liquid: <c>order.status_url</c>). Nothing is null: optional
/// values are empty strings or empty lists, so templates test them with <c>!= empty</c> and the strict engine can
/// treat any nil as a template error.
/// </summary>
public sealed record EmailModel(StoreModel Store, CustomerModel Customer, OrderModel Order, ShipmentModel Shipment, DetailsModel Details);
