/**
 * Facts from the Cloud SIEM normalized schema that the reference backend's mapping-confidence score
 * reads, for the schema fields the sumologic_cse pipeline maps to: the field's type, whether it is
 * an enrichment-only field, and its keywords (the words of the field name and of the first sentence
 * of its schema description, lower-cased, as a space-separated list).
 *
 * A mapping target absent here is not a schema field (e.g. `application`, lower-case: the schema
 * has `Application`), which the score treats as a validation failure.
 */

/** [type, enrichment-only, keywords] */
type SchemaFacts = readonly [type: string, enrichment: boolean, keywords: string];

const FACTS: Readonly<Record<string, SchemaFacts>> = {
  action: [
    'string',
    false,
    'a action an and by device in log operation or recorded summarizes undertaken user',
  ],
  Application: [
    'string',
    false,
    'a application as context event execution for given in indicating its log or presence referenced service software',
  ],
  baseImage: ['string', false, 'an base executable image name of process the'],
  bytesIn: ['long', false, 'amount bytes data in of received'],
  bytesOut: ['long', false, 'amount bytes data in of out sent'],
  changeTarget: [
    'string',
    false,
    'be been change created deleted group has is modified or other policy resource target the to user which',
  ],
  changeType: [
    'string',
    false,
    'acted and be category change create delete group modification modify nature object of often or other policy resource the to type upon user',
  ],
  commandLine: [
    'string',
    false,
    'a as cmd command inputted instruction instructions interface into line of or prompt set such text the',
  ],
  description: [
    'string',
    false,
    'a conveying description form high human in level log meaning message of readable summary the',
  ],
  device_hostname: ['string', false, 'computer device generated hostname log message name that the'],
  device_ip: [
    'string',
    true,
    'a address computer device generated internet ip log message of protocol that the',
  ],
  device_mac: ['string', false, 'access control device generated id log mac media message of that the'],
  dns_query: ['string', false, 'client dns entire from machine made query request server the to'],
  dns_queryType: ['string', false, 'being by client dns for is of queried query record the type which'],
  dns_reply: [
    'string',
    false,
    'a be can concatenated dns into multiple or record records reply single string the which',
  ],
  dns_replyIp: ['string', true, 'address an contained contains dns if ip reply the within'],
  dstDevice_hostname: [
    'string',
    false,
    'destined device dst for host hostname is name network of the traffic which',
  ],
  dstDevice_ip: ['string', true, 'address destined device dst for host ip is network of the traffic which'],
  dstPort: ['int', false, 'destined dst for is network number port the traffic which'],
  errorCode: ['string', false, 'a code error machine message or represents shortform specific that'],
  errorText: ['string', false, 'a description error human of readable specific text'],
  file_basename: ['string', false, 'a and applicable basename extension file if name of path the without'],
  file_hash_md5: ['string', false, '128 algorithm bit created file hash md5 the using'],
  file_hash_sha1: ['string', false, 'algorithm file generated hash of sha1 the using'],
  file_hash_sha256: ['string', false, 'algorithm file generated hash of sha256 the using'],
  file_hash_imphash: ['string', false, 'algorithm created file hash imphash import the using'],
  file_path: ['string', false, 'file full if of path possible the'],
  http_hostname: ['string', false, 'an host hostname http name of request the within'],
  http_method: ['string', false, 'being e http made method of request type'],
  http_referer: ['string', false, 'address http i identifies of referer the webpage'],
  http_response_statusCode: ['string', false, 'an code for http numeric request response status the'],
  http_url: ['string', false, 'a an http locator of page resource the uniform url web'],
  http_userAgent: ['string', false, 'a acting agent an behalf http in is of on request software that user'],
  ipProtocol: [
    'string',
    false,
    'event generated in internet ip layer log protocol that the traffic transport used',
  ],
  logonType: ['string', false, 'authentication initiated logon method of or session the type user'],
  sessionId: [
    'string',
    false,
    'a an and at between connection ephemeral id identifier least of semi session systems two unique',
  ],
  severity: ['string', false, 'level no normalization severity source specific the with'],
  normalizedSeverity: [
    'string',
    true,
    '0 10 a and being critical informational normalized of on scale score severity to with',
  ],
  normalizedAction: [
    'string',
    true,
    'a across action activity an common complementary describes field in initiation normalized of records the this to way',
  ],
  normalizedCause: [
    'string',
    true,
    'a any cause common complementary describes field for in normalized outcome particular reason record the this to way',
  ],
  cause: [
    'string',
    false,
    'a any cause common complementary describes field for in outcome particular reason record the this to way',
  ],
  packetsIn: ['long', false, 'a connection count in network of packets received the'],
  packetsOut: ['long', false, 'a connection count in network of out packets sent the'],
  parentBaseImage: [
    'string',
    false,
    'a an base child executable has image name of parent process spawned the which',
  ],
  parentCommandLine: [
    'string',
    false,
    'a as cmd command inputted instruction instructions interface into line of or parent prompt set such text the',
  ],
  parentPid: [
    'int',
    false,
    'a id initiated of parent parentbaseimage pid process program that the typically',
  ],
  pid: ['int', false, 'a baseimage id of pid process the typically'],
  processUid: ['string', false, 'a data for guid identifier often process source specific uid unique'],
  resource: [
    'string',
    false,
    'a an capture currently does field generalized have in log mapping more not object referenced resource schema specific specified that the to within',
  ],
  resourceType: ['string', false, 'a describe field generalized help nature of resource the to type'],
  srcDevice_hostname: [
    'string',
    false,
    'device from host hostname name network of originated src the traffic which',
  ],
  srcDevice_ip: ['string', true, 'address device from host ip network of originated src the traffic which'],
  srcPort: ['int', false, 'from network number originated port src the traffic which'],
  threat_identifier: ['string', false, 'a identifier indicator not or specific the threat to vulnerability'],
  threat_name: ['string', false, 'a an as exploit malware name not of or specific such threat vulnerability'],
  user_username: ['string', false, 'action an performing user username'],
  user_authDomain: ['string', false, 'acting an associated auth authentication domain the user with'],
  user_userId: ['string', false, 'account acting an associated id identifier semi the unique user with'],
  targetUser_username: [
    'string',
    false,
    'action an another by impacted is on or otherwise performed taken target user username',
  ],
  http_url_fqdn: ['string', true, 'domain e fqdn fully http in name qualified the url'],
  http_url_path: ['string', true, 'component e http of path the url'],
  metadata_deviceEventId: ['string', false, 'device event id identifier metadata specific vendor'],
  metadata_product: ['string', false, 'data metadata name of product source specific the'],
  metadata_vendor: ['string', false, 'company data for metadata name of responsible source the vendor'],
};

export interface CseFieldSchema {
  readonly name: string;
  /** Lower-cased schema type (string, int, long). */
  readonly type: string;
  readonly enrichment: boolean;
  readonly keywords: ReadonlySet<string>;
}

/** Schema fields by exact name, keyword sets built once at load. */
export const CSE_FIELD_SCHEMA: ReadonlyMap<string, CseFieldSchema> = new Map(
  Object.entries(FACTS).map(([name, [type, enrichment, keywords]]) => [
    name,
    { name, type: type.toLowerCase(), enrichment, keywords: new Set(keywords.split(' ')) },
  ]),
);
