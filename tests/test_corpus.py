"""Every service in ../shared/wsdl-corpus: generated and imported.

Each entry WSDL either generates and its module imports, or fails with the
intended message listed in EXPECTED (and in the README's table). vim25 is
modelled only here (615 operations): writing its 18 MB module takes about a
minute. Requests on the wire for the corpus (schema validation, zeep
comparison) are not proven yet; see the README.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline
from generator.errors import WsdlbindError
from tests.conftest import SHARED, import_path

CORPUS = SHARED / "wsdl-corpus"

#: entry WSDL -> None (generates) or the start of the intended error.
EXPECTED: dict[str, str | None] = {
    "zeep-testfiles/wsdl_files/claim.wsdl": None,
    "zeep-testfiles/wsdl_files/http.wsdl": "no SOAP port to generate a client for",
    "zeep-testfiles/wsdl_files/soap.wsdl": None,
    "zeep-testfiles/wsdl_files/soap_header.wsdl": None,
    "zeep-testfiles/wsdl_files/soap_import_main.wsdl": None,
    "zeep-testfiles/wsdl_files/soap_transport_err.wsdl": None,
    "zeep-testfiles/integration/hello_world_recursive.wsdl": None,
    "zeep-testfiles/integration/recursive_schema_main.wsdl": None,
    "zeep-testfiles/integration/test_http_post.wsdl": "no SOAP port to generate",
    "xsdata-fixtures/calculator/services.wsdl": None,
    "xsdata-fixtures/hello/hello.wsdl": None,
    "noaa-ndfd/ndfdXML.wsdl": None,
    "ups-track/Track.wsdl": None,
    "salesforce-partner/partner.wsdl": None,
    "fedex/ShipService_v26.wsdl": None,
    "fedex/RateService_v28.wsdl": None,
    "gowsdl-epcis/EPCglobal-epcis-query-1_2.wsdl": None,
    "generali-gbs/GBS/Enterprise/Organisation/V1/GetOrganisationGBS-V1.wsdl": (
        "binding OrganisationInterface-SOAP11-HTTPBinding (named by no service), "
        "operation GetOrganisation: element"
    ),
    "generali-gbs/GBS/Enterprise/Program/V1/NotifyProgramGBS-V1.wsdl": None,
    "generali-gbs/GBS/Enterprise/Program/V1/ProgramFeedbackService.wsdl": None,
    "onvif-device-media/devicemgmt.wsdl": None,
    "onvif-device-media/media.wsdl": None,
    "exchange-ews/services.wsdl": None,
    "bingads-campaign/campaignmanagement_service.xml": (
        "campaignmanagement_service.xml: {https://bingads.microsoft.com/"
        "CampaignManagement/v13}ApplicationFault, used by (base type) of ApiFaultDetail"
    ),
    "travelport-air/air_v52_0/Air.wsdl": None,
}
SLOW = {"vmware-vim25/vimService.wsdl"}


@pytest.fixture(scope="module")
def corpus(shared: Path) -> Path:
    return CORPUS


@pytest.mark.parametrize("entry", sorted(EXPECTED), ids=lambda e: e.split("/")[0])
def test_corpus_entry(corpus: Path, tmp_path: Path, entry: str) -> None:
    expected = EXPECTED[entry]
    if expected is not None:
        with pytest.raises(WsdlbindError) as caught:
            pipeline.generate(str(corpus / entry), offline=True)
        assert expected in caught.value.format_message()
        return
    result = pipeline.generate(str(corpus / entry), offline=True)
    out = tmp_path / "client.py"
    out.write_text(result.code, encoding="utf-8")
    module = import_path(out)
    assert module.__all__


@pytest.mark.parametrize("entry", sorted(SLOW), ids=lambda e: e.split("/")[0])
def test_big_corpus_entry(corpus: Path, entry: str) -> None:
    """vim25: 615 operations and thousands of types, modelled."""
    project, types = pipeline.prepare(str(corpus / entry), offline=True)
    assert sum(len(p.operations) for p in project.ports) == 615
    assert len(types) > 2000
