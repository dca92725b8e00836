"""The source registry: every source qtwatch loads, declared once.

One `Source` entry says what a source is (name, title), what it lands (its `Dataset`: table, natural key, date and
group columns, column schema), how it is fetched (a dotted path to its fetch function, resolved lazily by `flows/`
so this module stays free of network code), how politely (`HttpPolicy`: host pacing, retries, timeouts, base URL and
the setting that overrides it), how far each incremental run re-reads and looks ahead, where its history starts, and
when new data appears (`Release`, America/New_York, with the citation). Every per-source hook is a dotted path on
the entry, resolved lazily by `flows/`: fetch, replay, the doctor probe (`probe`, see flows/probes.py), the
before-land check, and the endpoint it owns on a shared base URL; `fixtures` names its recorded test data. The CLI's
`--source` choices, planning, dispatch, deployments and their crons (prefect.yaml is generated: `qtwatch deployments
--write`), `qtwatch status` freshness, `qtwatch doctor`, validation keys, suite discovery, the run artifact, the
replay routes and the cross-source tests all derive from `SOURCES`.

Only polars and the stdlib are imported here (transforms' layer rule), so every other package may import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import polars as pl

from transforms import calendar, cftc, fiscal, fred, nyfed, nyfed_pd, ofr_stfm
from transforms.schema import SchemaDict

# Columns that say how and when a version was landed, not what it says (a change in them is not a revision).
LINEAGE = ("load_id", "fetched_at", "as_of", "source_url", "published_at")


@dataclass(frozen=True)
class Dataset:
    """One raw dataset: `raw.<name>` keyed by `key`, versioned by load; `core.<name>` holds the latest version.

    `schema` is the parser's output (the columns landed besides the lineage ones); `extra` are columns the fetcher
    adds (e.g. FRED `units`). `group_column` splits incremental windows and completeness checks (FRED series)."""

    name: str
    key: tuple[str, ...]
    date_column: str
    schema: SchemaDict
    group_column: str | None = None
    extra: SchemaDict = field(default_factory=dict)
    observed: str | None = None  # SQL condition of a row whose observation is in (freshness ignores the others)

    @property
    def raw_table(self) -> str:
        return f"raw.{self.name}"

    @property
    def core_table(self) -> str:
        return f"core.{self.name}"

    @property
    def columns(self) -> SchemaDict:
        """Every column a batch carries into raw, lineage excluded: the schema, then the extras."""
        return {**self.schema, **self.extra}


@dataclass(frozen=True)
class HttpPolicy:
    """Politeness and retry policy of a source's host. Sources on one host share `host` and so its pace."""

    host: str
    base_url: str  # default; the Settings field `base_url_setting` (env QTWATCH_<NAME>) overrides it
    base_url_setting: str
    min_interval_s: float
    retries: int = 4
    backoff_factor: float = 1.0
    timeout_s: float = 30.0
    extra_urls: Mapping[str, str] = field(default_factory=dict)  # more base-URL settings (FRED's fredgraph.csv)

    def url_settings(self) -> dict[str, str]:
        """Every base-URL setting of this host with its default, e.g. {"nyfed_url": "https://…/api/"}."""
        return {self.base_url_setting: self.base_url, **self.extra_urls}


@dataclass(frozen=True)
class Release:
    """When a source's observation for day T becomes public, in America/New_York time.

    `lag` days after T (business days of `calendar` unless `business_days` is False; see transforms.calendar) at
    `time_et`; `weekly` observations are dated on `weekday` (0 = Monday) and published `lag` calendar days later,
    rolled to the next business day. `row_time`: a column holding a row's own release time (HH:MM ET, e.g. an
    operation's close) that replaces `time_et` when set. `announced`: (results column, announcement date column):
    a row whose results column is NULL was public on its announcement date (an auction announced, not yet held).
    `grace_days`: a holiday or a quiet day may delay it this much before the data counts as stale. `cron`: when the
    source's deployment runs (after the release). `citation`: where the rule is documented."""

    lag: int
    time_et: str
    cron: str
    citation: str
    business_days: bool = True
    weekly: bool = False
    weekday: int | None = None
    grace_days: int = 1
    description: str = ""
    calendar: str = "XFED"
    row_time: str | None = None
    announced: tuple[str, str] | None = None

    def published_on(self, observed: date) -> date:
        """The New York day the observation for `observed` is published."""
        if self.weekly:  # the first release weekday (`weekday` + `lag`) after the observation, on a business day
            release_weekday = ((self.weekday if self.weekday is not None else observed.weekday()) + self.lag) % 7
            first = observed + timedelta(
                days=(release_weekday - observed.weekday() - 1) % 7 + 1, weeks=(self.lag - 1) // 7
            )  # a lag over a week: that many weeks on
            return calendar.next_business_day(first, self.calendar)
        return calendar.publication_date(observed, self.lag, business_days=self.business_days, calendar=self.calendar)

    def published_at(self, observed: date, hhmm: str | None = None) -> datetime:
        """When the observation for `observed` became public (aware, New York); `hhmm` overrides `time_et`."""
        return calendar.at_new_york(self.published_on(observed), hhmm or self.time_et)

    def is_public(self, observed: date, as_of: date) -> bool:
        """Was the observation for `observed` published by the end of `as_of` (New York)?"""
        return self.published_on(observed) <= as_of


@dataclass(frozen=True)
class Source:
    """One source of qtwatch: everything the pipeline, the CLI and the deployments need to know about it."""

    name: str  # the `--source` name
    title: str
    dataset: Dataset
    fetch: str  # "module:function", called as function(session, FetchRequest) -> Batch (see flows.sources)
    http: HttpPolicy
    release: Release
    history_start: date
    revision_days: int  # re-read this many days before the latest held date to pick up revisions
    lead_days: int = 0  # ask past as-of (auctions are announced up to ~a month ahead)
    replay: str | None = None  # "module:function" serving this source's endpoints from the snapshot
    groups_table: str | None = None  # a ref table whose rows are the groups fetched one by one (FRED series)
    before_land: str | None = None  # "module:function" checking a batch against what is held (FRED units)
    deployment: str | None = None  # the name of the deployment that loads this source on its release cron
    group_releases: Mapping[str, Release] = field(default_factory=dict)  # per kind of row (FRED series, rate type)
    # the column naming a row's kind (its release rule): a dataset column (NY Fed rate_type), else a column of the
    # groups table joined on the group column (ref.fred_series.release)
    group_release_column: str | None = None
    api_key_setting: str | None = None  # the Settings field holding this source's API key, if it takes one
    api_key_block: str | None = None  # else the Prefect Secret block holding it
    # "module:function" returning the one small request `qtwatch doctor` makes, called as function(source, api_key,
    # today) -> flows.probes.Probe; None: doctor reports the source "not probed" (never "usable")
    probe: str | None = None
    # "module:NAME" of the endpoint path (under the base URL) this source owns, for sources sharing a base URL
    # (Fiscal Data: auctions and the DTS; the NY Fed: rates and operations); None: it owns its whole base URL(s)
    endpoint: str | None = None
    fixtures: str | None = None  # the folder of recorded real bodies its tests read (tests/fixtures/<x>, README.md)
    # why tests/faults_tests/test_payloads.py cannot break this source's recorded answers (None: it does, as for every
    # source with rows around its base warehouse's as-of)
    payload_faults_excluded: str | None = None

    def hooks(self) -> dict[str, str]:
        """Every dotted path this entry declares, by field name (a meta-test resolves each)."""
        fields = {
            "fetch": self.fetch,
            "replay": self.replay,
            "before_land": self.before_land,
            "probe": self.probe,
            "endpoint": self.endpoint,
        }
        return {name: path for name, path in fields.items() if path}


# Publication rules (transforms.calendar computes the dates). Each cites where it is documented.
_H41 = (
    "Board of Governors, H.4.1 'Factors Affecting Reserve Balances', released weekly on Thursday at 4:30 p.m. "
    "ET for the week ending Wednesday (https://www.federalreserve.gov/releases/h41/); a Thursday holiday moves "
    "it to the next Federal Reserve business day (Fed holiday schedule: "
    "https://www.federalreserve.gov/aboutthefed/k8.htm); FRED posts it shortly after"
)
_NYFED_SECURED = (
    "NY Fed: SOFR, BGCR and TGCR for business day T are published at about 8:00 a.m. ET on the next "
    "U.S. government securities business day (SIFMA calendar) "
    "(https://www.newyorkfed.org/markets/reference-rates/sofr, "
    "https://www.newyorkfed.org/markets/reference-rates/additional-information-about-reference-rates)"
)
_NYFED_SOFR_AVERAGES = (
    "NY Fed: the SOFR Averages and Index are published at about 8:00 a.m. ET on each U.S. "
    "government securities business day and dated that day (compounding SOFR up to the previous "
    "business day); FRED's SOFR30DAYAVG, SOFR90DAYAVG, SOFR180DAYAVG and SOFRINDEX carry the same "
    "dates (https://www.newyorkfed.org/markets/reference-rates/sofr-averages-and-index)"
)
_NYFED_UNSECURED = (
    "NY Fed: EFFR and OBFR for business day T are published at about 9:00 a.m. ET on the next "
    "business day (https://www.newyorkfed.org/markets/reference-rates/effr, "
    "https://www.newyorkfed.org/markets/reference-rates/obfr)"
)
_NYFED_RATES = f"{_NYFED_SECURED}; {_NYFED_UNSECURED}"
_NYFED_OPS = (
    "NY Fed repo / reverse repo operations: ON RRP 12:45-1:15 p.m. ET, standing repo 8:15-8:30 a.m. "
    "(since 2025-06-26) and 1:30-1:45 p.m. ET; results posted the same day right after each operation "
    "closes (https://www.newyorkfed.org/markets/opolicy/operating_policy_250528, "
    "https://www.newyorkfed.org/markets/desk-operations/reverse-repo)"
)
_AUCTIONS = (
    "Treasury auction results: bills close 11:30 a.m., notes and bonds 1:00 p.m. ET, results minutes later "
    "(https://www.treasurydirect.gov/auctions/general-auction-timing/); Fiscal Data's auctions_query "
    "follows the announcement and the results the same day"
)
_CFTC = (
    "CFTC Commitments of Traders: released at 3:30 p.m. Eastern time, usually on Friday, with the positions "
    "of the previous Tuesday; federal holidays may delay the release by one or two days "
    "(https://www.cftc.gov/MarketReports/CommitmentsofTraders/ReleaseSchedule/index.htm)"
)
_DTS = (
    "Daily Treasury Statement: published by 4:00 p.m. ET the following federal business day "
    "(https://fiscaldata.treasury.gov/datasets/daily-treasury-statement/)"
)
_H15 = (
    "Board of Governors, H.15 Selected Interest Rates: the daily update is posted Monday through Friday at "
    "4:15 p.m. ET, not on holidays (https://www.federalreserve.gov/releases/h15/); Treasury constant maturities "
    "for day T appear that evening"
)
_H8 = (
    "Board of Governors, H.8 'Assets and Liabilities of Commercial Banks in the United States': 'Published weekly, "
    "the release is typically available to the public by 4:15 p.m. each Friday. If Friday is a federal holiday, "
    "then the data are released on Thursday' (https://www.federalreserve.gov/releases/h8/about.htm), with the "
    "week ending the Wednesday nine days earlier (e.g. the 2008-08-29 release's last week ends 2008-08-20, "
    "https://www.federalreserve.gov/releases/H8/20080829/); a Thursday release after a Friday holiday is "
    "stamped a day late here, never early"
)
_ADMINISTERED = (
    "Administered rates (IORB, the target range) are announced ahead, with the FOMC statement and "
    "implementation note (https://www.federalreserve.gov/monetarypolicy/reserve-balances.htm)"
)

_NYFED_PD = (
    "NY Fed Primary Dealer Statistics (FR 2004): positions, financing and fails as of the close of business "
    "on Wednesday, released the following Thursday at about 4:15 p.m. ET, 8 days later "
    "(https://www.newyorkfed.org/markets/counterparties/primary-dealers-statistics); a recorded public "
    "project dates the weeks of 2021-12-15 and 2021-12-22 to Thursdays 2021-12-23 and 2021-12-30"
)
_OFR_STFM = (
    "OFR Short-term Funding Monitor, U.S. repo markets: preliminary (-P) DVP, GCF and tri-party rates and "
    "volumes about one business day after the trade date, final (-F) values about 3.5 months later "
    "(https://www.financialresearch.gov/short-term-funding-monitor/datasets/repo/); the OFR states no hour: "
    "taken as 18:00 ET, after the business day"
)

_H41_WEEKLY = Release(
    lag=1,
    time_et="16:30",
    cron="0 17 * * 4",
    citation=_H41,
    business_days=False,
    weekly=True,
    weekday=2,
    description="FRED series after the H.4.1 balance sheet (Thursday 4:30 pm ET).",
)
_SECURED = Release(lag=1, time_et="08:00", cron="20 9 * * 1-5", citation=_NYFED_SECURED, calendar="USGS")
_SOFR_AVERAGES = Release(lag=0, time_et="08:00", cron="20 9 * * 1-5", citation=_NYFED_SOFR_AVERAGES, calendar="USGS")
_UNSECURED = Release(lag=1, time_et="09:00", cron="20 9 * * 1-5", citation=_NYFED_UNSECURED)
_ON_RRP = Release(lag=0, time_et="13:15", cron="0 14 * * 1-5", citation=_NYFED_OPS)
_TREASURY_YIELDS = Release(lag=0, time_et="16:15", cron="30 16 * * 1-5", citation=_H15)
_H8_WEEKLY = Release(
    lag=9,
    time_et="16:15",
    cron="30 16 * * 5",
    citation=_H8,
    business_days=False,
    description="FRED series after the H.8 bank balance sheets (Friday 4:15 pm ET, 9 days later).",
)
_KNOWN_AHEAD = Release(lag=0, time_et="00:00", cron="0 20 * * *", citation=_ADMINISTERED, business_days=False)

_PD_WEEKLY = Release(
    lag=8,
    time_et="16:15",
    cron="30 16 * * 4",
    citation=_NYFED_PD,
    business_days=False,
    weekly=True,
    weekday=2,
    grace_days=3,
    description="NY Fed primary dealer statistics (Thursday 4:15 pm ET, as of the Wednesday a week before).",
)
_OFR_PRELIMINARY = Release(
    lag=1,
    time_et="18:00",
    cron="0 19 * * 1-5",
    citation=_OFR_STFM,
    calendar="USGS",
    grace_days=3,
    description="OFR repo segments, preliminary (a business day after).",
)
_OFR_FINAL = Release(
    lag=107,
    time_et="18:00",
    cron="0 19 * * 1-5",
    citation=_OFR_STFM,
    business_days=False,
    grace_days=14,
    description="OFR repo segments, final (~3.5 months after).",
)

FRED_API_URL = "https://api.stlouisfed.org/fred/"
FREDGRAPH_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
FISCALDATA = HttpPolicy(
    "api.fiscaldata.treasury.gov",
    "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/",
    "fiscaldata_url",
    min_interval_s=0.25,
)  # Fiscal Data: <= 4 req/s
# No official limit; a public adapter keeps to ~6 req/min and we make a handful of calls a day: 1 req/s.
NYFED = HttpPolicy("markets.newyorkfed.org", "https://markets.newyorkfed.org/api/", "nyfed_url", min_interval_s=1.0)
# FRED enforces about 2 requests/second per key (OpenBB PR #7527); stay under it. Keyless fredgraph.csv and the API
# share the pace; the API base is the `fred_api_url` setting, fredgraph's the `fredgraph_url` one.
FRED = HttpPolicy(
    "fred", FRED_API_URL, "fred_api_url", min_interval_s=0.55, extra_urls={"fredgraph_url": FREDGRAPH_URL}
)
# No published limit; a run downloads one or two yearly files (~0.5 MB each), a full history ten: 1 req/s.
CFTC = HttpPolicy(
    "www.cftc.gov", "https://www.cftc.gov/files/dea/history/", "cftc_url", min_interval_s=1.0, timeout_s=60.0
)

# The OFR states no rate limit for its keyless API; a run makes 12 requests: 1 req/s, as for the NY Fed.
OFR = HttpPolicy("data.financialresearch.gov", "https://data.financialresearch.gov/v1/", "ofr_url", min_interval_s=1.0)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "fred",
            "FRED series (H.4.1 balance sheet, reserves, ON RRP, TGA, policy and money-market rates)",
            Dataset(
                "fred_observations",
                ("series_id", "date"),
                "date",
                fred.SCHEMA,
                group_column="series_id",
                extra={"units": pl.Utf8},
            ),
            fetch="flows.sources.fred:fetch_fred",
            http=FRED,
            release=_H41_WEEKLY,
            history_start=date(2002, 12, 18),
            revision_days=60,
            replay="flows.sources.fred:replay",
            groups_table="ref.fred_series",
            before_land="flows.sources.fred:check_units",
            deployment="fred-h41-weekly",
            api_key_setting="fred_api_key",
            api_key_block="fred-api-key",
            probe="flows.sources.fred:probe",
            fixtures="tests/fixtures/fred",
            # per series, by the catalog's `release` column (ref.fred_series): the original publisher's rule
            group_release_column="release",
            group_releases={
                "h41": _H41_WEEKLY,
                "nyfed_secured": _SECURED,
                "nyfed_unsecured": _UNSECURED,
                "on_rrp": _ON_RRP,
                "h15": _TREASURY_YIELDS,
                "administered": _KNOWN_AHEAD,
                "h8": _H8_WEEKLY,
                "nyfed_sofr_averages": _SOFR_AVERAGES,
            },
        ),
        Source(
            "auctions",
            "US Treasury auction announcements and results (Fiscal Data auctions_query)",
            # announced auctions have no results yet: freshness counts auctions whose results are in
            Dataset(
                "treasury_auctions",
                fiscal.AUCTIONS_KEY,
                "auction_date",
                fiscal.AUCTIONS_SCHEMA,
                observed="bid_to_cover_ratio IS NOT NULL",
            ),
            fetch="flows.sources.fiscal:fetch_auctions",
            http=FISCALDATA,
            release=Release(
                lag=0,
                time_et="13:00",
                cron="30 14 * * 1-5",
                citation=_AUCTIONS,
                grace_days=7,
                announced=("bid_to_cover_ratio", "announcemt_date"),
                description="Treasury auction results (bills close 11:30 am, coupons 1:00 pm ET) and "
                "new announcements.",
            ),
            history_start=date(1979, 11, 15),
            revision_days=30,
            lead_days=30,
            replay="flows.sources.fiscal:replay",
            deployment="auctions-afternoon",
            probe="flows.sources.fiscal:probe",
            endpoint="flows.sources.fiscal:AUCTIONS_ENDPOINT",
            fixtures="tests/fixtures/fiscal",
        ),
        Source(
            "nyfed_rates",
            "NY Fed reference rates (SOFR, BGCR, TGCR, EFFR, OBFR) with percentiles and volumes",
            Dataset("nyfed_reference_rates", nyfed.RATES_KEY, "effective_date", nyfed.RATES_SCHEMA),
            fetch="flows.sources.nyfed:fetch_rates",
            http=NYFED,
            release=Release(
                lag=1,
                time_et="09:00",
                cron="20 9 * * 1-5",
                citation=_NYFED_RATES,
                description="NY Fed reference rates for the previous business day (SOFR ~8 am, EFFR ~9 am ET).",
            ),
            history_start=date(2018, 4, 2),
            revision_days=14,
            replay="flows.sources.nyfed:replay",
            deployment="nyfed-rates-morning",
            probe="flows.sources.nyfed:probe_rates",
            endpoint="flows.sources.nyfed:RATES_PATH",
            fixtures="tests/fixtures/nyfed",
            group_release_column="rate_type",
            group_releases={
                "SOFR": _SECURED,
                "BGCR": _SECURED,
                "TGCR": _SECURED,
                "EFFR": _UNSECURED,
                "OBFR": _UNSECURED,
            },
        ),
        Source(
            "nyfed_repo",
            "NY Fed repo (standing repo facility) and reverse repo (ON RRP) operation results",
            Dataset("nyfed_rp_operations", nyfed.RP_KEY, "operation_date", nyfed.RP_SCHEMA),
            fetch="flows.sources.nyfed:fetch_operations",
            http=NYFED,
            release=Release(
                lag=0,
                time_et="13:45",
                cron="0 14 * * 1-5",
                citation=_NYFED_OPS,
                row_time="close_time",
                description="NY Fed ON RRP (closes 1:15 pm ET) and standing repo (1:30-1:45 pm ET) operation results.",
            ),
            history_start=date(2013, 9, 23),
            revision_days=14,
            replay="flows.sources.nyfed:replay",
            deployment="nyfed-operations-afternoon",
            probe="flows.sources.nyfed:probe_operations",
            endpoint="flows.sources.nyfed:RP_PATH",
            fixtures="tests/fixtures/nyfed",
        ),
        Source(
            "dts",
            "Daily Treasury Statement operating cash balance (the Treasury General Account)",
            Dataset("dts_operating_cash_balance", fiscal.DTS_KEY, "record_date", fiscal.DTS_SCHEMA),
            fetch="flows.sources.fiscal:fetch_dts",
            http=FISCALDATA,
            release=Release(
                lag=1,
                time_et="16:00",
                cron="15 16 * * 1-5",
                citation=_DTS,
                calendar="US",
                description="Daily Treasury Statement / TGA (published by 4:00 pm ET the next business day).",
            ),
            history_start=date(2005, 10, 3),
            revision_days=14,
            replay="flows.sources.fiscal:replay",
            deployment="dts-afternoon",
            probe="flows.sources.fiscal:probe",
            endpoint="flows.sources.fiscal:DTS_ENDPOINT",
            fixtures="tests/fixtures/fiscal",
        ),
        Source(
            "cftc",
            "CFTC Traders in Financial Futures (futures only): Treasury futures positioning by trader type",
            Dataset("cftc_tff", cftc.KEY, cftc.DATE_COLUMN, cftc.SCHEMA, group_column="cftc_contract_market_code"),
            fetch="flows.sources.cftc:fetch_cftc",
            http=CFTC,
            release=Release(
                lag=3,
                time_et="15:30",
                cron="45 15 * * 5",
                citation=_CFTC,
                business_days=False,
                weekly=True,
                weekday=1,
                grace_days=4,
                calendar="US",
                description="CFTC Traders in Financial Futures (Friday 3:30 pm ET, positions of the Tuesday before).",
            ),
            # The yearly files start in 2017 (2006-2016 come as one bundle with another date format, not read).
            history_start=date(2017, 1, 1),
            revision_days=14,
            replay="flows.sources.cftc:replay",
            deployment="cftc-friday",
            probe="flows.sources.cftc:probe",
            fixtures="tests/fixtures/cftc",
        ),
        Source(
            "nyfed_pd",
            "NY Fed Primary Dealer Statistics (FR 2004): net Treasury positions, financing, fails",
            Dataset("nyfed_pd", nyfed_pd.KEY, nyfed_pd.DATE_COLUMN, nyfed_pd.SCHEMA, group_column="keyid"),
            fetch="flows.sources.nyfed_pd:fetch_pd",
            http=NYFED,
            release=_PD_WEEKLY,
            history_start=date(2013, 4, 3),
            revision_days=28,
            replay="flows.sources.nyfed_pd:replay",
            deployment="nyfed-pd-thursday",
            probe="flows.sources.nyfed_pd:probe",
            endpoint="flows.sources.nyfed_pd:ENDPOINT",
            fixtures="tests/fixtures/nyfed",
            payload_faults_excluded="the recorded FR 2004 weeks (replay/nyfed/pd_get.json) skip 2025-04-16 to "
            "2026-03-25: around the payload suite's base (2025-06-06) and run (2025-06-13) nothing is held new or "
            "arrives, so a dropped, nulled or short week cannot be told from the recording's gap",
        ),
        Source(
            "ofr_stfm",
            "OFR Short-term Funding Monitor: repo rates and volumes by segment (DVP, GCF, tri-party)",
            Dataset("ofr_stfm", ofr_stfm.KEY, ofr_stfm.DATE_COLUMN, ofr_stfm.SCHEMA, group_column="mnemonic"),
            fetch="flows.sources.ofr_stfm:fetch_ofr",
            http=OFR,
            release=_OFR_PRELIMINARY,
            # finals replace nothing: they are their own mnemonics (-F), re-read over the ~3.5-month revision window
            history_start=date(2019, 1, 2),
            revision_days=120,
            replay="flows.sources.ofr_stfm:replay",
            deployment="ofr-stfm-evening",
            group_release_column="vintage",
            group_releases={"P": _OFR_PRELIMINARY, "F": _OFR_FINAL},
            probe="flows.sources.ofr_stfm:probe",
            payload_faults_excluded="not yet run on the recorded OFR rate excerpts (replay/ofr/, from 2025-06-02; "
            "the total volumes are unrecorded and answer []): the payload faults on OFR rows are untested",
        ),
    )
}

DATASETS: dict[str, Dataset] = {s.dataset.name: s.dataset for s in SOURCES.values()}


def release_of(source: Source, kind: str | None = None) -> Release:
    """The release rule of one kind of a source's rows (a FRED series' catalog `release`, a NY Fed rate type), else
    the source's own."""
    return source.group_releases.get(kind, source.release) if kind is not None else source.release


def source_of(dataset: str) -> Source:
    """The source that lands `dataset`."""
    return next(s for s in SOURCES.values() if s.dataset.name == dataset)
