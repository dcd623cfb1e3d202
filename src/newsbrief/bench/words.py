"""Common English words, roughly from most to least frequent in news prose, for the
benchmark corpus. Written for this project (no download at run time); ``corpus`` weights
them by rank (Zipf) and extends the tail with generated rare terms and names."""

_TEXT = """
the of and to a in that is for it on with as was he be by at his this are from have not
said but or an they which one you were her all she there would their we him been has when
who will more no if out so up what its about into than them can only other new some could
time these two may then do first any my now such like our over man me even most made after
also did many before must through back years where much your way well down should because
each just those people how too little state good very make world still own see men work long
get here between both life being under never day same another know while last might us great
old year off come since against go came right used take three states himself few house use
during without again place around however home small found thought went say part once general
high upon school every does got united left number course war until always away something fact
though water less public put think almost hand enough far took head yet government system
better set told nothing night end why called didn't eyes find going look asked later point
knew city next program business give group toward young days let room president side social
given present several order national possible rather second face per among form important
often things looked early white case john become large big need four within felt along children
saw best church ever least power development light thing seemed family interest want members
mind country area others done turned although open god service problem certain kind different
thus began door help sense whole matter perhaps itself york times law human line above name
example action company hands local show whether five history gave today either act feet across
taken past quite anything seen having death week experience body word half really field am
car words already themselves information tell together college shall money period held keep
sure free real probably seems political cannot behind miss question air office making brought
whose special heard major problems ago became federal moment study available known result street
economic boy position reason change south board individual job society areas west close turn
love community true court force full seem policy wife future age wanted department voice center
woman control common necessary following front sometimes six girl clear further land run students
provide feel party able mother music education university child effect level stood military short
town total outside rate physical figure class plan minutes ground letter method north value
process market report growth industry technology production chip semiconductor billion million
percent revenue sales share output capacity investment demand supply export exports import
imports shipments quarter annual monthly orders firm firms maker makers manufacturer
manufacturers supplier suppliers customers customer products product display panel panels
electronics electronic devices device memory wafer wafers foundry fab plants plant factory
factories equipment components component network networks mobile phone phones smartphone
smartphones computer computers notebook notebooks tablet tablets server servers cloud data
software hardware internet online digital wireless broadband communications telecom operator
operators carrier carriers energy solar battery batteries power vehicle vehicles electric
automotive car cars display screens touch sensor sensors camera cameras lens module modules
chips processor processors design designs engineering engineers research institute laboratory
science scientific technologies innovation innovative patent patents license licensing standard
standards platform platforms application applications service services system systems
solution solutions integrated circuit circuits packaging testing assembly materials material
steel plastics chemical chemicals petrochemical machine machinery tools tool precision optical
optics fiber light emitting diode lighting lamps green environment environmental carbon emissions
efficiency renewable wind turbine turbines grid biotech medical medicine drug drugs hospital
health healthcare pharmaceutical clinical trial trials vaccine genome protein cell cells
agriculture food farm farmers fisheries tourism trade agreement economic cooperation framework
tariff tariffs negotiations ministry minister council bureau agency commission authority
authorities officials official premier legislature legislative lawmakers regulation regulations
rules approval approved announced announce announcement launched launch launches unveiled
introduced introduce plans planned expects expected expect estimated estimates forecast
forecasts projected rise rose rising increase increased increasing growth grew grow growing
decline declined declining drop dropped fell fall falling slowed slow slowdown recovery
recover rebound strong weak stable record high low peak compared previous prior year-on-year
month-on-month quarterly profit profits loss losses earnings income net gross margin margins
price prices cost costs pricing value valued worth budget fund funds funding capital stock
stocks shares investor investors listed listing exchange bank banks financial finance loans
credit currency dollar yuan euro yen inflation interest rates economy economies global
international domestic regional local overseas foreign china taiwan japan korea united europe
european america american asian asia southeast india germany vietnam thailand malaysia
singapore indonesia philippines mainland island taipei hsinchu taichung tainan kaohsiung
shanghai beijing shenzhen tokyo seoul silicon valley park parks zone zones cluster science-based
industrial industries sector sectors segment segments field fields market markets consumer
consumers retail brand brands model models version generation series line lines volume volumes
unit units scale mass small medium-sized enterprises startup startups venture entrepreneurs
talent talents workers labor employment jobs wages training skills universities students
academic academia partnership partners partner alliance joint venture merger acquisition
acquire acquired deal deals contract contracts order signed sign signing memorandum
understanding pact talks meeting conference forum exhibition expo show fair booth visitors
delegation delegations visit visited visiting cooperation collaborate collaboration
collaborative strategy strategic goal goals target targets aim aims plan plans project
projects initiative initiatives program programs policy policies subsidy subsidies incentive
incentives support supported supporting promote promoting promotion boost boosting expand
expanding expansion build building built construction complete completed completion begin
beginning start started starting operation operations operate operating running capacity
utilization rate rates mass-production production produce produced producing develop developed
developing development deploy deployment adopt adoption upgrade upgraded upgrading transform
transformation smart intelligent artificial intelligence robot robots robotics automation
automated machine-learning algorithm algorithms computing quantum security cybersecurity
privacy blockchain satellite satellites space aerospace aircraft drone drones shipbuilding
railway rail metro transport transportation logistics shipping port ports airport airports
infrastructure water resources disaster earthquake typhoon flood climate weather temperature
pollution waste recycling recycle circular sustainable sustainability nuclear coal gas oil
natural fuel hydrogen storage efficiency saving savings consumption electricity utility
utilities residential commercial buildings housing property real estate land prices rent
urban rural population aging elderly care insurance pension tax taxes revenue fiscal monetary
central reserve report reports reported reporting according sources source said says statement
spokesman spokeswoman chairman president chief executive officer director general manager
managers management team staff employees company's firm's group's industry's island's
country's government's ministry's week month months weeks day days hour hours minute decade
decades century recently currently previously already soon later earlier meanwhile moreover
furthermore addition additionally despite due mainly mostly largely nearly approximately
about around roughly total totaling combined respectively including included include includes
such various variety number numbers amount amounts percentage portion majority minority average
median maximum minimum top leading leader leaders largest biggest second-largest third major
key core main primary significant considerable substantial rapid rapidly fast faster slower
higher lower larger smaller better worse best worst new newest latest advanced mature
emerging traditional conventional modern next-generation high-end low-end mid-range premium
cheap affordable expensive efficient flexible thin lightweight portable compact durable reliable
"""
COMMON_WORDS = _TEXT.split()
