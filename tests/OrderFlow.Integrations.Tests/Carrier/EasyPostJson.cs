namespace OrderFlow.Integrations.Tests.Carrier;

/// <summary>EasyPost response bodies in the shapes of EasyPost's API reference (Shipment, Rate, PostageLabel, Tracker, Error, Event).</summary>
internal static class EasyPostJson
{
    public const string ShipmentId = "shp_93170d48eb1a413aa5c0d8bf4384a350";
    public const string TrackingCode = "9405500105440232839154";
    public const string LabelUrl = "https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20240124/e6ad0a33bff1634f128c21d0e75e066491.png";
    public const string PublicUrl = "https://track.easypost.com/djE6dHJrXzYxOGIzMTc2MTgxOTQyM2NiZDU4MjBjMTE5NDljZTQx";

    /// <summary>(id, service, rate, delivery_days) of a USPS rate.</summary>
    public static string Rate(string id, string service, string rate, int? days, string carrier = "USPS") => $$"""
        {"id":"{{id}}","object":"Rate","created_at":"2024-01-24T00:07:30Z","updated_at":"2024-01-24T00:07:30Z","mode":"test",
         "service":"{{service}}","carrier":"{{carrier}}","rate":"{{rate}}","currency":"USD","retail_rate":null,"retail_currency":null,
         "list_rate":"{{rate}}","list_currency":"USD","billing_type":"easypost","delivery_days":{{Days(days)}},
         "delivery_date":null,"delivery_date_guaranteed":false,"est_delivery_days":{{Days(days)}},
         "shipment_id":"{{ShipmentId}}","carrier_account_id":"ca_9685a1198a75477885a3cdca37559bac"}
        """;

    /// <summary>A created shipment: rates quoted, nothing bought yet.</summary>
    public static string Created(string reference, params string[] rates) => Shipment(reference, string.Join(",", rates), "null", "null", "null", "null");

    /// <summary>The same shipment after POST /buy: selected rate, postage label, tracking code and tracker.</summary>
    public static string Bought(string reference, string selectedRate) => Shipment(
        reference,
        selectedRate,
        selectedRate,
        $$"""
        {"object":"PostageLabel","id":"pl_ed73e71d2910440bac0eae34a6e4c9fa","created_at":"2024-01-24T00:07:34Z","updated_at":"2024-01-24T00:07:34Z",
         "date_advance":0,"integrated_form":"none","label_date":"2024-01-24T00:07:34Z","label_resolution":300,"label_size":"4x6",
         "label_type":"default","label_file_type":"image/png","label_url":"{{LabelUrl}}","label_pdf_url":null,"label_zpl_url":null,
         "label_epl2_url":null,"label_file":null}
        """,
        $"\"{TrackingCode}\"",
        $$"""
        {"id":"trk_618b31761819423cbd5820c11949ce41","object":"Tracker","mode":"test","tracking_code":"{{TrackingCode}}",
         "status":"unknown","status_detail":"unknown","created_at":"2024-01-24T00:07:34Z","updated_at":"2024-01-24T00:07:34Z",
         "signed_by":null,"weight":null,"est_delivery_date":null,"shipment_id":"{{ShipmentId}}","carrier":"USPS",
         "tracking_details":[],"fees":[],"carrier_detail":null,"public_url":"{{PublicUrl}}"}
        """);

    /// <summary>The bought shipment with EasyPost's refund_status (null: never refunded).</summary>
    public static string WithRefundStatus(string shipment, string? refundStatus) =>
        shipment.Replace("\"refund_status\":null", refundStatus is null ? "\"refund_status\":null" : $"\"refund_status\":\"{refundStatus}\"", StringComparison.Ordinal);

    private static string Days(int? days) => days?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";

    public static string Error(string code, string message, string errors) =>
        $$$"""{"error":{"code":"{{{code}}}","message":"{{{message}}}","errors":{{{errors}}}}}""";

    private static string Shipment(string reference, string rates, string selectedRate, string postageLabel, string trackingCode, string tracker) => $$$"""
        {"created_at":"2024-01-24T00:07:30Z","is_return":false,"messages":[],"mode":"test",
         "options":{"currency":"USD","payment":{"type":"SENDER"},"date_advance":0},
         "reference":"{{{reference}}}","status":"unknown","tracking_code":{{{trackingCode}}},"updated_at":"2024-01-24T00:07:30Z",
         "batch_id":null,"batch_status":null,"batch_message":null,"customs_info":null,
         "from_address":{"id":"adr_90e0406bba4c11eea7d53cecef1b359e","object":"Address","name":null,"company":"Demo Store East",
           "street1":"417 Montgomery Street","street2":"5th Floor","city":"San Francisco","state":"CA","zip":"94104","country":"US",
           "phone":"4155550100","email":null,"mode":"test","residential":null,"verifications":{}},
         "insurance":null,"order_id":null,
         "parcel":{"id":"prcl_4dde100b45af43acbe9c68244fa51851","object":"Parcel","length":10.0,"width":8.0,"height":4.0,
           "predefined_package":null,"weight":16.0,"mode":"test"},
         "postage_label":{{{postageLabel}}},"rates":[{{{rates}}}],"refund_status":null,"scan_form":null,"selected_rate":{{{selectedRate}}},
         "tracker":{{{tracker}}},
         "to_address":{"id":"adr_90dd5fb4ba4c11ee9e88ac1f6bc539ae","object":"Address","name":"Jane Doe","company":null,
           "street1":"350 Fifth Avenue","street2":"Apt 4B","city":"New York","state":"NY","zip":"10118","country":"US",
           "phone":"2125550147","email":null,"mode":"test","residential":null,"verifications":{}},
         "usps_zone":4,"forms":[],"fees":[],"id":"{{{ShipmentId}}}","object":"Shipment"}
        """;
}
